import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { insertTestApiKey } from '../../support/test-auth';
import { eventually, startApiHarness, type ApiHarness } from '../../support/api-harness';

interface Person {
  id: string;
  name: string;
  key: string;
}

interface TaskJson {
  id: string;
  title: string;
  templateKey: string;
  templateName: string;
  businessKey: string | null;
  priority: string;
  dueAt: string | null;
  createdAt: string;
  assignee: string | null;
  status: string;
  outcomeLabels: Record<string, string>;
  needsForm: boolean;
}

const PRIORITY_RANK: Record<string, number> = { low: 0, normal: 1, high: 2, urgent: 3 };

/**
 * The API of the web app's inbox and task page (issue 12): the caller and their language, the
 * inbox's views, sorts and counts, bulk claim and completion, a task's history and delegates, and
 * saved views. The workers hold a role of this file's own (and `designer`, which no other test's
 * tasks name), so their queues hold only this file's tasks and the counts are exact.
 */
describe('the inbox API', () => {
  let api: ApiHarness;
  const suffix = randomUUID().slice(0, 8);
  const region = `inbox-${suffix}`;
  const role = `inbox-worker-${suffix}`;
  const token = `tok${suffix}`;
  const people = {} as Record<'lead' | 'worker' | 'colleague' | 'stranger', Person>;
  const queueKey = `e2e-inbox-queue-${suffix}`;
  const plainKey = `e2e-inbox-plain-${suffix}`;
  const formKey = `e2e-inbox-form-${suffix}`;
  const queueTasks: TaskJson[] = [];
  const plainTasks: TaskJson[] = [];
  let formTask: TaskJson;

  async function addPerson(name: keyof typeof people, roles: string[], managerId: string | null, personRegion: string) {
    const id = `u-${name}-${suffix}`;
    const key = `key-${randomUUID()}`;
    const em = api.engine.orm.em.fork();
    await em.execute(
      `insert into engine_user (id, name, email, roles, attributes, manager_id, active, created_at)
       values (?, ?, ?, array(select jsonb_array_elements_text(?::jsonb)), ?::jsonb, ?, true, now())`,
      [
        id,
        `${name} ${suffix}`,
        `${id}@staff.test`,
        JSON.stringify(roles),
        JSON.stringify({ region: personRegion }),
        managerId,
      ],
    );
    await insertTestApiKey((query, params) => em.execute(query, params), id, key);
    people[name] = { id, name: `${name} ${suffix}`, key };
  }

  const as = (who: Person, options: InjectOptions) =>
    api.app.inject({ ...options, headers: { 'x-api-key': who.key, ...options.headers } });
  const taskUrl = (id: string) => `/api/v1/tasks/${encodeURIComponent(id)}`;

  /** Starts the template and returns its task as the worker's queue shows it. */
  async function startTask(template: string, input: Record<string, unknown>): Promise<TaskJson> {
    const started = await api.call('admin', { method: 'POST', url: '/api/v1/instances', payload: { template, input } });
    expect(started.statusCode).toBe(201);
    const instanceId = started.json().id as string;
    return eventually(async () => {
      const page = await as(people.worker, { method: 'GET', url: `/api/v1/tasks?view=queue&limit=200` });
      return (page.json().items as (TaskJson & { instanceId: string })[]).find((t) => t.instanceId === instanceId);
    }, `the task of ${instanceId}`);
  }

  /** Every item of a listing, page by page. */
  async function listAll(who: Person, query: string, limit = 2): Promise<TaskJson[]> {
    const items: TaskJson[] = [];
    let cursor: string | null = null;
    do {
      const url = `/api/v1/tasks?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await as(who, { method: 'GET', url });
      expect(page.statusCode).toBe(200);
      items.push(...(page.json().items as TaskJson[]));
      cursor = page.json().nextCursor as string | null;
    } while (cursor);
    return items;
  }

  const counts = async (who: Person) => {
    const response = await as(who, { method: 'GET', url: '/api/v1/tasks/counts' });
    expect(response.statusCode).toBe(200);
    return response.json() as Record<'mine' | 'queue' | 'unassigned' | 'done', number> & { changedAt: string | null };
  };

  beforeAll(async () => {
    api = await startApiHarness();
    await addPerson('lead', ['sales-manager'], null, region);
    await addPerson('worker', ['designer', role], people.lead.id, region);
    await addPerson('colleague', ['designer', role], people.lead.id, region);
    await addPerson('stranger', ['designer', role], null, `${region}-far`);
    const task = (due: string) => `
    task:
      title: =input.title
      candidates: { role: ${role}, region: =input.region }
      priority: =input.priority
      outcomes: [done, skip]${due}`;
    await api.publish(
      queueKey,
      `key: ${queueKey}
name: Inbox queue ${suffix}
input:
  type: object
  required: [region, title, priority, due, ref]
  properties: { region: { type: string }, title: { type: string }, priority: { type: string }, due: { type: string }, ref: { type: string } }
businessKey: =input.ref
steps:
  - id: work${task('\n      due: =input.due')}
`,
    );
    await api.publish(
      plainKey,
      `key: ${plainKey}
name: Inbox plain ${suffix}
input:
  type: object
  required: [region, title, priority]
  properties: { region: { type: string }, title: { type: string }, priority: { type: string } }
steps:
  - id: work${task('')}
`,
    );
    await api.publish(
      formKey,
      `key: ${formKey}
name: Inbox form ${suffix}
input:
  type: object
  required: [region]
  properties: { region: { type: string } }
steps:
  - id: fill
    task:
      title: ${token} form
      candidates: { role: ${role}, region: =input.region }
      outcomes: [done]
      form:
        notes: { type: string, required: true }
`,
    );
    const specs = [
      { priority: 'low', due: 'PT5H' },
      { priority: 'urgent', due: 'PT1H' },
      { priority: 'normal', due: 'PT3H' },
      { priority: 'high', due: 'PT2H' },
      { priority: 'urgent', due: 'PT4H' },
    ];
    for (const [index, spec] of specs.entries()) {
      queueTasks.push(
        await startTask(queueKey, { region, title: `${token} queue ${index}`, ref: `REF-${suffix}-${index}`, ...spec }),
      );
    }
    for (const index of [0, 1]) {
      plainTasks.push(await startTask(plainKey, { region, title: `${token} plain ${index}`, priority: 'normal' }));
    }
    formTask = await startTask(formKey, { region });
  });
  afterAll(async () => {
    await api.close();
  });

  describe('GET and PATCH /me', () => {
    it('says who I am, with my rights from the role table, and saves my language', async () => {
      const { worker } = people;
      const me = await as(worker, { method: 'GET', url: '/api/v1/me' });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toEqual({
        id: worker.id,
        name: worker.name,
        email: `${worker.id}@staff.test`,
        roles: ['designer', role],
        rights: expect.arrayContaining(['tasks.work', 'templates.write', 'users.read']),
        locale: null,
        managerId: people.lead.id,
      });
      expect(me.json().rights).not.toContain('users.manage');
      expect(me.json().rights).not.toContain('tasks.see-all');

      const saved = await as(worker, { method: 'PATCH', url: '/api/v1/me', payload: { locale: 'zh-CN' } });
      expect(saved.statusCode).toBe(200);
      expect(saved.json()).toMatchObject({ id: worker.id, locale: 'zh-CN' });
      expect((await as(worker, { method: 'GET', url: '/api/v1/me' })).json()).toMatchObject({ locale: 'zh-CN' });
      expect((await as(worker, { method: 'GET', url: '/api/v1/auth/me' })).json()).toMatchObject({
        user: { locale: 'zh-CN' },
      });

      for (const wrong of [{ locale: 'fr' }, { locale: 'zh' }, {}, { locale: 'en', extra: 1 }]) {
        const refused = await as(worker, { method: 'PATCH', url: '/api/v1/me', payload: wrong });
        expect(refused.statusCode).toBe(400);
        expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
      const cleared = await as(worker, { method: 'PATCH', url: '/api/v1/me', payload: { locale: null } });
      expect(cleared.json()).toMatchObject({ locale: null });
      // The routing attributes stay as they were.
      const [row] = await api.engine.orm.em
        .fork()
        .execute<{ attributes: Record<string, unknown> }[]>('select attributes from engine_user where id = ?', [
          worker.id,
        ]);
      expect(row?.attributes).toEqual({ region });
    });
  });

  describe('GET /tasks with views, filters and sorts', () => {
    it('gives the task JSON its template name, business key, outcome labels and whether it needs a form', () => {
      expect(queueTasks[0]).toMatchObject({
        templateKey: queueKey,
        templateName: `Inbox queue ${suffix}`,
        businessKey: `REF-${suffix}-0`,
        outcomeLabels: { done: 'done', skip: 'skip' },
        needsForm: false,
      });
      expect(plainTasks[0]).toMatchObject({ businessKey: null, needsForm: false });
      expect(formTask).toMatchObject({ needsForm: true });
    });

    it('pages exactly through every sort and order, each task once, in the order asked', async () => {
      const all = [...queueTasks, ...plainTasks, formTask];
      const byCreated = (a: TaskJson, b: TaskJson) => a.createdAt.localeCompare(b.createdAt) || (a.id < b.id ? -1 : 1);
      const dueTime = (t: TaskJson, missing: number) => (t.dueAt ? Date.parse(t.dueAt) : missing);
      const expected: Record<string, (a: TaskJson, b: TaskJson) => number> = {
        'sort=due': (a, b) => dueTime(a, Infinity) - dueTime(b, Infinity) || byCreated(a, b),
        'sort=due&order=desc': (a, b) => dueTime(b, -Infinity) - dueTime(a, -Infinity) || byCreated(b, a),
        'sort=priority': (a, b) => PRIORITY_RANK[b.priority]! - PRIORITY_RANK[a.priority]! || byCreated(b, a),
        'sort=priority&order=asc': (a, b) => PRIORITY_RANK[a.priority]! - PRIORITY_RANK[b.priority]! || byCreated(a, b),
        'sort=template': (a, b) => a.templateKey.localeCompare(b.templateKey) || byCreated(a, b),
        'sort=created': (a, b) => byCreated(b, a),
        'sort=created&order=asc': byCreated,
        '': (a, b) => byCreated(b, a),
      };
      for (const [sort, compare] of Object.entries(expected)) {
        const query = `view=queue&q=${token}&${sort}`;
        const titles = (await listAll(people.worker, query)).map((t) => t.title);
        expect({ sort, titles }).toEqual({ sort, titles: [...all].sort(compare).map((t) => t.title) });
        // One page holds the same order: the pages above neither skipped nor repeated a task.
        expect((await listAll(people.worker, query, 200)).map((t) => t.title)).toEqual(titles);
      }
      // Tasks without a due date come last in both directions.
      for (const order of ['asc', 'desc']) {
        const listed = await listAll(people.worker, `view=queue&q=${token}&sort=due&order=${order}`);
        expect(listed.slice(-3).map((t) => t.dueAt)).toEqual([null, null, null]);
      }
    });

    it('filters by template, priority and title text (wildcards taken literally)', async () => {
      const titles = async (query: string) =>
        (await listAll(people.worker, `view=queue&${query}`, 200)).map((t) => t.title).sort();
      expect(await titles(`template=${plainKey}`)).toEqual([`${token} plain 0`, `${token} plain 1`]);
      expect(await titles(`template=${queueKey}&priority=urgent`)).toEqual([`${token} queue 1`, `${token} queue 4`]);
      expect(await titles(`q=${token.toUpperCase()}%20QUEUE%203`)).toEqual([`${token} queue 3`]);
      expect(await titles(`q=${token}%25`)).toEqual([]);
      expect(await titles(`q=${token}_queue`)).toEqual([]);
    });

    it('refuses an unknown view, sort or priority, and a cursor of another sort, with a 400 problem', async () => {
      for (const query of ['view=everything', 'sort=title', 'order=up', 'priority=critical']) {
        const refused = await as(people.worker, { method: 'GET', url: `/api/v1/tasks?${query}` });
        expect({ query, status: refused.statusCode }).toEqual({ query, status: 400 });
      }
      const first = await as(people.worker, {
        method: 'GET',
        url: `/api/v1/tasks?view=queue&q=${token}&sort=due&limit=1`,
      });
      const cursor = encodeURIComponent(first.json().nextCursor as string);
      const mixed = await as(people.worker, {
        method: 'GET',
        url: `/api/v1/tasks?view=queue&sort=priority&cursor=${cursor}`,
      });
      expect(mixed.statusCode).toBe(400);
      expect(mixed.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('shows a manager the queues of their team under unassigned, and nobody else', async () => {
      const { lead, stranger } = people;
      const query = `view=unassigned&template=${queueKey}`;
      expect(await listAll(lead, query, 200)).toHaveLength(queueTasks.length);
      expect(await listAll(lead, `view=queue&template=${queueKey}`, 200)).toHaveLength(0);
      // Outside the region: not a candidate, and no team of theirs is.
      expect(await listAll(stranger, query, 200)).toHaveLength(0);
      expect((await as(lead, { method: 'GET', url: taskUrl(queueTasks[0]!.id) })).statusCode).toBe(200);
      expect((await as(stranger, { method: 'GET', url: taskUrl(queueTasks[0]!.id) })).statusCode).toBe(404);
    });
  });

  describe('bulk actions, counts, history and delegates', () => {
    it('claims and completes in bulk, item by item as the single routes would, and the counts follow', async () => {
      const { worker } = people;
      const before = await counts(worker);
      expect(before).toMatchObject({ mine: 0, queue: queueTasks.length + plainTasks.length + 1, done: 0 });
      expect(before.unassigned).toBe(before.queue);
      expect(before.changedAt).toEqual(expect.any(String));
      expect((await listAll(worker, 'view=queue', 200)).length).toBe(before.queue);

      const [a, b] = plainTasks as [TaskJson, TaskJson];
      const claimed = await as(worker, {
        method: 'POST',
        url: '/api/v1/tasks/bulk',
        payload: { action: 'claim', ids: [a.id, b.id, formTask.id, 'no-such-task'] },
      });
      expect(claimed.statusCode).toBe(200);
      expect(claimed.json().results).toEqual([
        { id: a.id, ok: true },
        { id: b.id, ok: true },
        { id: formTask.id, ok: true },
        {
          id: 'no-such-task',
          ok: false,
          status: 404,
          problem: {
            type: 'https://crm-engine.dev/problems/task-not-found',
            title: 'Not Found',
            detail: expect.any(String),
          },
        },
      ]);
      const afterClaim = await eventually(async () => {
        const now = await counts(worker);
        return now.mine === 3 ? now : undefined;
      }, 'the claims in the counts');
      expect(afterClaim.queue).toBe(before.queue - 3);
      expect(Date.parse(afterClaim.changedAt!)).toBeGreaterThanOrEqual(Date.parse(before.changedAt!));
      expect((await listAll(worker, 'view=mine', 200)).map((t) => t.id).sort()).toEqual(
        [a.id, b.id, formTask.id].sort(),
      );

      const completed = await as(worker, {
        method: 'POST',
        url: '/api/v1/tasks/bulk',
        payload: { action: 'complete', ids: [a.id, formTask.id, queueTasks[0]!.id], outcome: 'done', comment: 'bulk' },
      });
      expect(completed.statusCode).toBe(200);
      const results = completed.json().results as {
        id: string;
        ok: boolean;
        status?: number;
        problem?: { type: string };
      }[];
      expect(results[0]).toEqual({ id: a.id, ok: true });
      expect(results[1]).toMatchObject({
        ok: false,
        status: 422,
        problem: { type: 'https://crm-engine.dev/problems/form-required' },
      });
      // Unclaimed but mine to take: completing it is what POST /tasks/:id/complete would do too.
      expect(results[2]).toEqual({ id: queueTasks[0]!.id, ok: true });
      const again = await as(worker, {
        method: 'POST',
        url: '/api/v1/tasks/bulk',
        payload: { action: 'complete', ids: [a.id], outcome: 'done' },
      });
      expect(again.json().results[0]).toMatchObject({ ok: false, status: 409 });

      const done = await eventually(async () => {
        const items = await listAll(worker, 'view=done', 200);
        return items.length === 2 ? items : undefined;
      }, 'the completions in the done view');
      expect(done.map((t) => t.id).sort()).toEqual([a.id, queueTasks[0]!.id].sort());
      // People by name, not only by id, as the inbox shows them.
      const mine = await listAll(worker, 'view=mine', 200);
      expect(mine.map((t) => (t as TaskJson & { assigneeName: string }).assigneeName)).toEqual(
        mine.map(() => worker.name),
      );
      expect(done.map((t) => (t as TaskJson & { completedByName: string }).completedByName)).toEqual([
        worker.name,
        worker.name,
      ]);
      expect(await counts(worker)).toMatchObject({ done: 2, mine: 2 });

      const audited = await api.engine.orm.em
        .fork()
        .execute<{ action: string }[]>(`select action from audit_log where subject = ? order by id`, [`task:${a.id}`]);
      expect(audited.map((row) => row.action)).toEqual(expect.arrayContaining(['task.claim', 'task.complete']));
    });

    it('refuses a bulk request without an outcome to complete, too many ids or an unknown action', async () => {
      const ids = Array.from({ length: 51 }, (_, i) => `t-${i}`);
      for (const payload of [
        { action: 'complete', ids: ['x'] },
        { action: 'claim', ids },
        { action: 'claim', ids: [] },
        { action: 'release', ids: ['x'] },
      ]) {
        const refused = await as(people.worker, { method: 'POST', url: '/api/v1/tasks/bulk', payload });
        expect(refused.statusCode).toBe(400);
        expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    });

    it('offers as delegates exactly the people the delegate route accepts, by name or e-mail', async () => {
      const { worker, colleague, stranger, lead } = people;
      const task = plainTasks[1]!;
      const delegates = async (who: Person, q = '') => {
        const response = await as(who, {
          method: 'GET',
          url: `${taskUrl(task.id)}/delegates?q=${encodeURIComponent(q)}`,
        });
        expect(response.statusCode).toBe(200);
        return (response.json().items as { id: string }[]).map((item) => item.id);
      };
      expect(await delegates(worker)).toEqual([colleague.id]);
      expect(await delegates(worker, `COLLEAGUE ${suffix}`)).toEqual([colleague.id]);
      expect(await delegates(worker, `u-colleague-${suffix}@staff`)).toEqual([colleague.id]);
      expect(await delegates(worker, 'nobody-by-this-name')).toEqual([]);
      // The manager of the assignee's team reaches it to hand it on, within the team.
      expect(await delegates(lead)).toEqual([colleague.id]);
      expect((await as(stranger, { method: 'GET', url: `${taskUrl(task.id)}/delegates` })).statusCode).toBe(404);

      const refused = await as(worker, {
        method: 'POST',
        url: `${taskUrl(task.id)}/delegate`,
        payload: { to: stranger.id },
      });
      expect(refused.statusCode).toBe(422);
      const handed = await as(worker, {
        method: 'POST',
        url: `${taskUrl(task.id)}/delegate`,
        payload: { to: colleague.id },
      });
      expect(handed.statusCode).toBe(200);
    });

    it("tells a task's history with the actors' names", async () => {
      // Handed to the colleague above: now theirs to read.
      const history = await eventually(async () => {
        const response = await as(people.colleague, { method: 'GET', url: `${taskUrl(plainTasks[1]!.id)}/history` });
        expect(response.statusCode).toBe(200);
        const items = response.json().items as { type: string }[];
        return items.some((item) => item.type === 'delegated') ? items : undefined;
      }, 'the delegation in the history');
      expect(history).toEqual([
        expect.objectContaining({ type: 'opened', actor: null, actorName: null }),
        expect.objectContaining({ type: 'claimed', actor: people.worker.id, actorName: people.worker.name }),
        expect.objectContaining({ type: 'delegated', actor: people.worker.id, actorName: people.worker.name }),
      ]);
      const completed = await as(people.worker, { method: 'GET', url: `${taskUrl(plainTasks[0]!.id)}/history` });
      expect(completed.json().items.at(-1)).toMatchObject({
        type: 'completed',
        actor: people.worker.id,
        actorName: people.worker.name,
        detail: { outcome: 'done', comment: 'bulk' },
      });
      expect(
        (await as(people.stranger, { method: 'GET', url: `${taskUrl(plainTasks[1]!.id)}/history` })).statusCode,
      ).toBe(404);
    });
  });

  describe('saved views', () => {
    const views = '/api/v1/task-views';

    it('saves a view, lists it for its owner, shares it by link, and lets only the owner delete it', async () => {
      const { worker, colleague } = people;
      const own = await as(worker, {
        method: 'POST',
        url: views,
        payload: { name: 'Due soon', query: 'view=queue&sort=due' },
      });
      expect(own.statusCode).toBe(201);
      expect(own.json()).toMatchObject({
        name: 'Due soon',
        query: 'view=queue&sort=due',
        shared: false,
        ownerId: worker.id,
        ownerName: worker.name,
        createdAt: expect.any(String),
      });
      const shared = await as(worker, {
        method: 'POST',
        url: views,
        payload: { name: 'Urgent', query: `?view=mine&priority=urgent&q=${token}`, shared: true },
      });
      expect(shared.json()).toMatchObject({ query: `view=mine&priority=urgent&q=${token}`, shared: true });

      const mine = (await as(worker, { method: 'GET', url: views })).json().items as { id: string }[];
      expect(mine.map((v) => v.id)).toEqual(expect.arrayContaining([own.json().id, shared.json().id]));
      const theirs = (await as(colleague, { method: 'GET', url: views })).json().items as { id: string }[];
      expect(theirs.map((v) => v.id)).toContain(shared.json().id);
      expect(theirs.map((v) => v.id)).not.toContain(own.json().id);

      expect((await as(colleague, { method: 'GET', url: `${views}/${own.json().id}` })).statusCode).toBe(404);
      expect((await as(colleague, { method: 'GET', url: `${views}/${shared.json().id}` })).json()).toMatchObject({
        name: 'Urgent',
        ownerName: worker.name,
      });
      expect((await as(colleague, { method: 'DELETE', url: `${views}/${shared.json().id}` })).statusCode).toBe(403);
      expect((await as(colleague, { method: 'DELETE', url: `${views}/${own.json().id}` })).statusCode).toBe(404);
      expect((await as(worker, { method: 'DELETE', url: `${views}/${own.json().id}` })).statusCode).toBe(204);
      expect((await as(worker, { method: 'GET', url: `${views}/${own.json().id}` })).statusCode).toBe(404);
    });

    it('refuses a query with other than the inbox parameters, a bad name, and more than 50 views', async () => {
      const { colleague } = people;
      for (const payload of [
        { name: 'x', query: 'view=queue&cursor=abc' },
        { name: 'x', query: 'savedView=1' },
        { name: 'x', query: 'sort=title' },
        { name: 'x', query: 'view=mine&view=done' },
        { name: 'x', query: `q=${'a'.repeat(1001)}` },
        { name: '', query: 'view=mine' },
        { name: 'n'.repeat(81), query: 'view=mine' },
      ]) {
        const refused = await as(colleague, { method: 'POST', url: views, payload });
        expect({ payload, status: refused.statusCode }).toEqual({ payload, status: 400 });
        expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
      for (let index = 0; index < 50; index += 1) {
        const saved = await as(colleague, { method: 'POST', url: views, payload: { name: `v${index}`, query: '' } });
        expect(saved.statusCode).toBe(201);
      }
      const over = await as(colleague, { method: 'POST', url: views, payload: { name: 'one more', query: '' } });
      expect(over.statusCode).toBe(422);
      expect(over.json()).toMatchObject({ type: 'https://crm-engine.dev/problems/task-views-limit' });
    });
  });
});
