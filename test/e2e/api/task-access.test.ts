import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { insertTestApiKey } from '../../support/test-auth';
import { eventually, startApiHarness, type ApiHarness } from '../../support/api-harness';

interface Person {
  id: string;
  key: string;
}

interface TaskBody {
  id: string;
  instanceId: string;
  assignee: string | null;
  status: string;
}

/**
 * Who may act on a task (issue 11, item 3): delegation only to a possible candidate, never to the
 * owner of the record under approval (four-eyes), managers within their team, out-of-office rules
 * applied when a task opens, and a released claim back in the candidates' queue. Each test group
 * has people of a region of its own, so the shared database's other users never match.
 */
describe('task access rules', () => {
  let api: ApiHarness;
  const region = `r-${randomUUID().slice(0, 8)}`;
  const otherRegion = `${region}-other`;
  const people = {} as Record<'lead' | 'peer' | 'far' | 'rep' | 'rep2' | 'farRep', Person>;
  let queueKey = '';
  let personalKey = '';

  async function addPerson(
    name: keyof typeof people,
    roles: string[],
    attributes: Record<string, unknown>,
    managerId: string | null = null,
  ) {
    const id = `u-${name}-${region}`;
    const key = `key-${randomUUID()}`;
    const em = api.engine.orm.em.fork();
    await em.execute(
      `insert into engine_user (id, name, email, roles, attributes, manager_id, active, created_at)
       values (?, ?, ?, array(select jsonb_array_elements_text(?::jsonb)), ?::jsonb, ?, true, now())`,
      [id, name, `${id}@staff.test`, JSON.stringify(roles), JSON.stringify(attributes), managerId],
    );
    await insertTestApiKey((query, params) => em.execute(query, params), id, key);
    people[name] = { id, key };
  }

  const as = (who: Person | 'admin', options: InjectOptions) =>
    who === 'admin'
      ? api.call('admin', options)
      : api.app.inject({ ...options, headers: { 'x-api-key': who.key, ...options.headers } });
  const taskUrl = (task: { id: string }) => `/api/v1/tasks/${encodeURIComponent(task.id)}`;

  async function publish(yaml: string, key: string) {
    await api.publish(key, yaml);
  }

  async function start(template: string, input: Record<string, unknown>): Promise<string> {
    const started = await api.call('admin', { method: 'POST', url: '/api/v1/instances', payload: { template, input } });
    expect(started.statusCode).toBe(201);
    return started.json().id as string;
  }

  /** The open task of the instance once the projection has it (read in the table: an admin's inbox is their own). */
  async function openTask(instanceId: string): Promise<TaskBody> {
    return eventually(async () => {
      const rows = await api.engine.orm.em
        .fork()
        .execute<TaskBody[]>(
          `select id, instance_id as "instanceId", assignee, status from task where instance_id = ? and status = 'open'`,
          [instanceId],
        );
      return rows[0];
    }, `the open task of ${instanceId}`);
  }

  async function inboxIds(who: Person): Promise<string[]> {
    const page = await as(who, { method: 'GET', url: '/api/v1/tasks?status=open&limit=200' });
    expect(page.statusCode).toBe(200);
    return (page.json().items as TaskBody[]).map((t) => t.id);
  }

  async function current(task: { id: string }): Promise<TaskBody> {
    return (await api.call('admin', { method: 'GET', url: taskUrl(task) })).json() as TaskBody;
  }

  async function timelineOf(instanceId: string) {
    const response = await api.call('admin', { method: 'GET', url: `/api/v1/instances/${instanceId}/timeline` });
    return response.json().items as { type: string; detail: Record<string, unknown> | null }[];
  }

  const delegate = (who: Person, task: { id: string }, to: string) =>
    as(who, { method: 'POST', url: `${taskUrl(task)}/delegate`, payload: { to } });

  beforeAll(async () => {
    api = await startApiHarness();
    await addPerson('lead', ['sales-manager'], { region });
    await addPerson('peer', ['sales-manager'], { region });
    await addPerson('far', ['sales-manager'], { region: otherRegion });
    await addPerson('rep', ['sales-rep'], { region }, people.lead.id);
    await addPerson('rep2', ['sales-rep'], { region }, people.lead.id);
    await addPerson('farRep', ['sales-rep'], { region: otherRegion }, people.far.id);
    queueKey = `e2e-access-queue-${randomUUID().slice(0, 8)}`;
    await publish(
      `key: ${queueKey}
name: Access queue
input:
  type: object
  required: [ownerId, region]
  properties: { ownerId: { type: string }, region: { type: string } }
steps:
  - id: review
    task:
      title: Review
      candidates: { role: sales-manager, region: =input.region }
      excludeUsers: =input.ownerId
      outcomes: [approved, rejected]
`,
      queueKey,
    );
    personalKey = `e2e-access-personal-${randomUUID().slice(0, 8)}`;
    await publish(
      `key: ${personalKey}
name: Access personal
input:
  type: object
  required: [assignee]
  properties: { assignee: { type: string } }
steps:
  - id: work
    task: { title: Work, assignee: =input.assignee, outcomes: [done] }
`,
      personalKey,
    );
  });
  afterAll(async () => {
    await api.close();
  });

  it('refuses to delegate to someone who could not be a candidate, and changes nothing', async () => {
    const { lead, peer, far, rep } = people;
    const instanceId = await start(queueKey, { ownerId: 'u-nobody', region });
    const task = await openTask(instanceId);
    expect((await as(lead, { method: 'POST', url: `${taskUrl(task)}/claim` })).statusCode).toBe(200);

    for (const outsider of [far.id, rep.id]) {
      const refused = await delegate(lead, task, outsider);
      expect(refused.statusCode).toBe(422);
      expect(refused.json()).toMatchObject({ type: 'https://crm-engine.dev/problems/delegate-not-candidate' });
    }
    expect(await current(task)).toMatchObject({ assignee: lead.id, status: 'open' });
    expect((await timelineOf(instanceId)).filter((e) => e.type === 'task.delegated')).toEqual([]);

    const handed = await delegate(lead, task, peer.id);
    expect(handed.statusCode).toBe(200);
    expect(handed.json()).toMatchObject({ assignee: peer.id });
  });

  it('never lets the owner of the record decide it: hidden from their queue, no claim, no completion, no delegation to them', async () => {
    const { lead, peer } = people;
    const instanceId = await start(queueKey, { ownerId: peer.id, region });
    const task = await openTask(instanceId);
    expect(await inboxIds(lead)).toContain(task.id);
    expect(await inboxIds(peer)).not.toContain(task.id);

    for (const action of ['claim', 'complete']) {
      const refused = await as(peer, {
        method: 'POST',
        url: `${taskUrl(task)}/${action}`,
        payload: action === 'complete' ? { outcome: 'approved' } : undefined,
      });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ type: 'https://crm-engine.dev/problems/four-eyes' });
    }
    expect((await as(lead, { method: 'POST', url: `${taskUrl(task)}/claim` })).statusCode).toBe(200);
    const toOwner = await delegate(lead, task, peer.id);
    expect(toOwner.statusCode).toBe(403);
    expect(toOwner.json()).toMatchObject({ type: 'https://crm-engine.dev/problems/four-eyes' });
    // Not even an administrator can hand it to the owner.
    expect(
      (await api.call('admin', { method: 'POST', url: `${taskUrl(task)}/delegate`, payload: { to: peer.id } }))
        .statusCode,
    ).toBe(403);
    expect(await current(task)).toMatchObject({ assignee: lead.id, status: 'open' });

    const done = await as(lead, { method: 'POST', url: `${taskUrl(task)}/complete`, payload: { outcome: 'approved' } });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ completedBy: lead.id });
  });

  it('lets a manager reassign a team member’s task within the team, not outside it, and not reach other teams', async () => {
    const { lead, far, rep, rep2, farRep } = people;
    const instanceId = await start(personalKey, { assignee: rep.id });
    const task = await openTask(instanceId);
    expect(task.assignee).toBe(rep.id);

    // Another team's manager does not reach it at all.
    expect((await delegate(far, task, farRep.id)).statusCode).toBe(404);
    const outside = await delegate(lead, task, farRep.id);
    expect(outside.statusCode).toBe(403);
    expect(outside.json()).toMatchObject({ type: 'https://crm-engine.dev/problems/delegate-outside-team' });
    // A person-assigned task goes only to someone sharing an inbox role of the person the process named.
    expect((await delegate(lead, task, lead.id)).statusCode).toBe(422);
    expect(await current(task)).toMatchObject({ assignee: rep.id });

    const within = await delegate(lead, task, rep2.id);
    expect(within.statusCode).toBe(200);
    expect(within.json()).toMatchObject({ assignee: rep2.id });
    // The assignee hands on their own task by the candidate rule alone, the team does not matter.
    expect((await delegate(rep2, task, farRep.id)).statusCode).toBe(200);
  });

  it('gives a task that opens for someone out of office to their delegate, and says so in its history', async () => {
    const { lead, rep, rep2 } = people;
    const url = '/api/v1/users/me/out-of-office';
    const now = Date.now();
    const period = {
      startsAt: new Date(now - 3_600_000).toISOString(),
      endsAt: new Date(now + 86_400_000).toISOString(),
    };
    for (const wrong of [
      { ...period, delegateId: lead.id }, // holds none of the rep's roles
      { ...period, delegateId: rep.id }, // oneself
      { ...period, delegateId: 'u-nobody' },
      { startsAt: period.endsAt, endsAt: period.startsAt, delegateId: rep2.id },
    ]) {
      const refused = await as(rep, { method: 'PUT', url, payload: wrong });
      expect(refused.statusCode).toBe(422);
    }
    expect((await as(rep, { method: 'GET', url })).statusCode).toBe(404);
    const set = await as(rep, { method: 'PUT', url, payload: { ...period, delegateId: rep2.id } });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ userId: rep.id, delegateId: rep2.id, active: true });
    // Only administrators set someone else's.
    expect(
      (
        await as(lead, {
          method: 'PUT',
          url: `/api/v1/users/${rep.id}/out-of-office`,
          payload: { ...period, delegateId: rep2.id },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await api.call('admin', { method: 'GET', url: `/api/v1/users/${rep.id}/out-of-office` })).json(),
    ).toMatchObject({ delegateId: rep2.id });

    const instanceId = await start(personalKey, { assignee: rep.id });
    const task = await eventually(async () => {
      const found = await openTask(instanceId);
      return found.assignee === rep2.id ? found : undefined;
    }, 'the task assigned to the delegate');
    expect(await inboxIds(rep2)).toContain(task.id);
    // The timeline entry reaches the projection with the flush before the task's wait.
    const cover = await eventually(
      async () => (await timelineOf(instanceId)).find((e) => e.type === 'task.delegated'),
      'the out-of-office entry in the timeline',
    );
    expect(cover.detail).toMatchObject({ from: rep.id, to: rep2.id, reason: 'out-of-office' });
    const [opened] = await api.engine.orm.em
      .fork()
      .execute<{ detail: Record<string, unknown> }[]>(
        `select detail from task_event where task_id = ? and type = 'opened'`,
        [task.id],
      );
    expect(opened?.detail).toMatchObject({ outOfOffice: { absent: rep.id, delegate: rep2.id } });
    // The delegate holds it as assignee: they may complete it.
    const done = await as(rep2, { method: 'POST', url: `${taskUrl(task)}/complete`, payload: { outcome: 'done' } });
    expect(done.statusCode).toBe(200);

    expect((await as(rep, { method: 'DELETE', url })).statusCode).toBe(204);
    expect((await as(rep, { method: 'GET', url })).statusCode).toBe(404);
    const back = await start(personalKey, { assignee: rep.id });
    expect((await openTask(back)).assignee).toBe(rep.id);
  });

  it('puts a released task back in its candidates’ queue; only its holder may release it', async () => {
    const { lead, peer, rep } = people;
    const instanceId = await start(queueKey, { ownerId: 'u-nobody', region });
    const task = await openTask(instanceId);
    expect((await as(lead, { method: 'POST', url: `${taskUrl(task)}/claim` })).statusCode).toBe(200);
    expect(await inboxIds(peer)).not.toContain(task.id);
    expect((await as(peer, { method: 'POST', url: `${taskUrl(task)}/release` })).statusCode).toBe(404);

    const released = await as(lead, { method: 'POST', url: `${taskUrl(task)}/release` });
    expect(released.statusCode).toBe(200);
    expect(released.json()).toMatchObject({ assignee: null, status: 'open' });
    expect(await inboxIds(peer)).toContain(task.id);
    expect(await inboxIds(lead)).toContain(task.id);
    expect((await timelineOf(instanceId)).map((e) => e.type)).toContain('task.released');
    // Unassigned now: nobody holds it to release.
    expect((await as(peer, { method: 'POST', url: `${taskUrl(task)}/release` })).statusCode).toBe(403);

    // A task the process gave to one person has no queue to go back to.
    const personal = await openTask(await start(personalKey, { assignee: rep.id }));
    const refused = await as(rep, { method: 'POST', url: `${taskUrl(personal)}/release` });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ type: 'https://crm-engine.dev/problems/release-invalid' });
  });
});
