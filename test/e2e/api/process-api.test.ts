import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { IdempotencyKeyRepository } from '../../../db/repositories';
import { startRequestHash } from '../../../api/services/process-starter';
import { waitForMail } from '../../support/mailbox';
import { eventually, startApiHarness, type ApiHarness } from '../../support/api-harness';
import { approvalTemplate } from './approval-template';

/** The process API as a client uses it, on the real Temporal, PostgreSQL and SMTP servers. */
describe('process API end to end', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApiHarness();
  });
  afterAll(async () => {
    await api.close();
  });

  async function publish(yaml: string, key: string): Promise<number> {
    const saved = await api.call('admin', {
      method: 'PUT',
      url: `/api/v1/templates/${key}/draft`,
      headers: { 'content-type': 'application/yaml' },
      payload: yaml,
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ valid: true });
    const published = await api.call('admin', { method: 'POST', url: `/api/v1/templates/${key}/publish` });
    expect([200, 201]).toContain(published.statusCode);
    return published.json().version as number;
  }

  // Started by the admin: these tests are about the process API, not about who may start a
  // template (a rep may start only the templates TEMPLATE_STARTERS names for sales).
  async function start(key: string, customerEmail: string, idempotencyKey?: string) {
    return api.call('admin', {
      method: 'POST',
      url: '/api/v1/instances',
      headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
      payload: { template: key, input: { customerEmail, amount: 1200 } },
    });
  }

  async function openTaskOf(instanceId: string): Promise<{ id: string; status: string }> {
    return eventually(async () => {
      const inbox = await api.call('manager', { method: 'GET', url: '/api/v1/tasks?status=open' });
      return (inbox.json().items as { id: string; instanceId: string; status: string }[]).find(
        (t) => t.instanceId === instanceId,
      );
    }, `the task of ${instanceId} in the manager's inbox`);
  }

  async function finished(instanceId: string) {
    return eventually(async () => {
      const response = await api.call('admin', { method: 'GET', url: `/api/v1/instances/${instanceId}` });
      const body = response.json();
      return body.status === 'running' ? undefined : body;
    }, `instance ${instanceId} to finish`);
  }

  it('publishes a template, starts it, completes its task and shows the timeline', async () => {
    const { key, yaml } = approvalTemplate();
    expect(await publish(yaml, key)).toBe(1);
    const customer = `buyer+${randomUUID().slice(0, 8)}@example.test`;
    const started = await start(key, customer);
    expect(started.statusCode).toBe(201);
    expect(started.json()).toMatchObject({ templateKey: key, version: 1, businessKey: customer, status: 'running' });
    const instanceId = started.json().id as string;
    // The start wrote the row and its first entry before answering (the workflow does not).
    const atStart = await api.call('admin', { method: 'GET', url: `/api/v1/instances/${instanceId}/timeline` });
    expect(atStart.json().items[0]).toMatchObject({ seq: 1, type: 'instance.started' });

    const task = await openTaskOf(instanceId);
    const completed = await api.call('manager', {
      method: 'POST',
      url: `/api/v1/tasks/${encodeURIComponent(task.id)}/complete`,
      payload: { outcome: 'approved', form: { reason: 'good margin' }, comment: 'ok' },
    });
    expect(completed.statusCode).toBe(200);
    expect(completed.json()).toMatchObject({
      outcome: 'approved',
      completedBy: 'u-sales-manager',
      form: { reason: 'good margin' },
    });
    // The completion response means the inbox already shows it closed.
    const after = await api.call('manager', { method: 'GET', url: `/api/v1/tasks/${encodeURIComponent(task.id)}` });
    expect(after.json()).toMatchObject({ status: 'completed', outcome: 'approved', completedBy: 'u-sales-manager' });

    const instance = await finished(instanceId);
    expect(instance).toMatchObject({ status: 'completed', result: { approved: true, label: 'v1' } });
    const mail = await waitForMail((m) => m.to.includes(customer));
    expect(mail.subject).toBe(`Approved ${key}`);
    expect(mail.text).toContain('Approved by u-sales-manager');

    const timeline = (
      await api.call('admin', { method: 'GET', url: `/api/v1/instances/${instanceId}/timeline` })
    ).json().items as { type: string; stepId: string | null }[];
    const types = timeline.map((e) => `${e.type}${e.stepId ? `:${e.stepId}` : ''}`);
    expect(types[0]).toBe('instance.started');
    expect(types.filter((type) => type === 'instance.started')).toHaveLength(1);
    expect(types).toEqual(
      expect.arrayContaining([
        'step.completed:log',
        'task.opened:review',
        'task.completed:review',
        'step.completed:notify',
        'instance.completed',
      ]),
    );
    expect(types.indexOf('task.completed:review')).toBeGreaterThan(types.indexOf('task.opened:review'));

    const listed = await api.call('admin', {
      method: 'GET',
      url: `/api/v1/instances?template=${key}&status=completed`,
    });
    expect(listed.json().items.map((i: { id: string }) => i.id)).toContain(instanceId);
    const badCursor = await api.call('admin', { method: 'GET', url: '/api/v1/instances?cursor=not-a-cursor' });
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json()).toMatchObject({ type: 'https://crm-engine.dev/problems/cursor-invalid', status: 400 });
  });

  it('returns the same instance for a retried start and refuses the key with another body', async () => {
    const { key, yaml } = approvalTemplate();
    await publish(yaml, key);
    const idempotencyKey = randomUUID();
    const customer = `idem+${randomUUID().slice(0, 8)}@example.test`;
    const first = await start(key, customer, idempotencyKey);
    const second = await start(key, customer, idempotencyKey);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect(second.json().id).toBe(first.json().id);
    const other = await start(key, `other+${customer}`, idempotencyKey);
    expect(other.statusCode).toBe(409);
    expect(other.headers['content-type']).toContain('application/problem+json');
    expect(other.json().type).toMatch(/idempotency-key-reused$/);
    const listed = await api.call('admin', { method: 'GET', url: `/api/v1/instances?template=${key}` });
    await eventually(
      async () =>
        (await api.call('admin', { method: 'GET', url: `/api/v1/instances?template=${key}` })).json().items.length === 1
          ? true
          : undefined,
      'one projected instance',
    );
    expect(listed.statusCode).toBe(200);
  });

  it('answers 201 to exactly one of concurrent starts with one Idempotency-Key, 200 with the same instance to the rest', async () => {
    const { key, yaml } = approvalTemplate();
    await publish(yaml, key);
    for (let round = 0; round < 3; round++) {
      const idempotencyKey = randomUUID();
      const customer = `burst+${randomUUID().slice(0, 8)}@example.test`;
      const answers = await Promise.all(Array.from({ length: 6 }, () => start(key, customer, idempotencyKey)));
      const codes = answers.map((answer) => answer.statusCode).sort();
      expect(codes).toEqual([200, 200, 200, 200, 200, 201]);
      expect(new Set(answers.map((answer) => answer.json().id)).size).toBe(1);
    }
  });

  it('starts the instance on a retry when the first request stored its key but never reached Temporal', async () => {
    const { key, yaml } = approvalTemplate();
    await publish(yaml, key);
    const idempotencyKey = randomUUID();
    const input = { customerEmail: `lost+${randomUUID().slice(0, 8)}@example.test`, amount: 1200 };
    const instanceId = `${key}-never-started`;
    // What a first request leaves behind when Temporal is down between the key insert and the start.
    await new IdempotencyKeyRepository().insert(
      api.engine.orm.em.fork(),
      'u-admin',
      idempotencyKey,
      startRequestHash(key, input),
      instanceId,
    );
    const retried = await api.call('admin', {
      method: 'POST',
      url: '/api/v1/instances',
      headers: { 'idempotency-key': idempotencyKey },
      payload: { template: key, input },
    });
    expect(retried.statusCode).toBe(201);
    expect(retried.json().id).toBe(instanceId);
    await openTaskOf(instanceId);
    const again = await api.call('admin', {
      method: 'POST',
      url: '/api/v1/instances',
      headers: { 'idempotency-key': idempotencyKey },
      payload: { template: key, input },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(instanceId);
  });

  it('lets exactly one of two concurrent completions win', async () => {
    const { key, yaml } = approvalTemplate();
    await publish(yaml, key);
    const started = await start(key, `race+${randomUUID().slice(0, 8)}@example.test`);
    const task = await openTaskOf(started.json().id);
    const complete = (as: 'manager' | 'admin', outcome: string) =>
      api.call(as, {
        method: 'POST',
        url: `/api/v1/tasks/${encodeURIComponent(task.id)}/complete`,
        payload: { outcome },
      });
    const results = await Promise.all([complete('manager', 'approved'), complete('admin', 'rejected')]);
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 409]);
    const winner = results.find((r) => r.statusCode === 200)!.json();
    const loser = results.find((r) => r.statusCode === 409)!.json();
    expect(loser.type).toMatch(/task-closed$/);
    const stored = (
      await api.call('admin', { method: 'GET', url: `/api/v1/tasks/${encodeURIComponent(task.id)}` })
    ).json();
    expect(stored).toMatchObject({ status: 'completed', outcome: winner.outcome, completedBy: winner.completedBy });
    const timeline = (
      await api.call('admin', { method: 'GET', url: `/api/v1/instances/${started.json().id}/timeline` })
    ).json().items as { type: string }[];
    expect(timeline.filter((e) => e.type === 'task.completed')).toHaveLength(1);
  });

  it('rejects an invalid template with every error located by line and column', async () => {
    const key = `e2e-broken-${randomUUID().slice(0, 8)}`;
    const yaml = [
      `key: ${key}`,
      'name: Broken',
      'input: { type: object, properties: { leadId: { type: string } } }',
      'steps:',
      '  - id: assign',
      '    call: crm.noSuchActivity',
      '    with: { leadId: =input.leadId }',
      '  - id: assign',
      '    task:',
      '      title: =input.leadId > 5',
      '      outcomes: []',
      '  - id: later',
      '    wait: -PT4H',
      '',
    ].join('\n');
    const saved = await api.call('admin', {
      method: 'PUT',
      url: `/api/v1/templates/${key}/draft`,
      headers: { 'content-type': 'application/yaml' },
      payload: yaml,
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().valid).toBe(false);
    const validated = await api.call('admin', { method: 'POST', url: `/api/v1/templates/${key}/validate` });
    expect(validated.statusCode).toBe(422);
    expect(validated.headers['content-type']).toContain('application/problem+json');
    const diagnostics = validated.json().diagnostics as { code: string; line: number; column: number; path: string }[];
    const lineOf = (code: string) => diagnostics.find((d) => d.code === code)?.line;
    expect(lineOf('call.unknown-activity')).toBe(6);
    expect(lineOf('step.duplicate-id')).toBe(8);
    expect(lineOf('expr.type')).toBe(10);
    expect(diagnostics.some((d) => d.code.startsWith('task') && d.line === 11)).toBe(true);
    expect(diagnostics.some((d) => d.code.startsWith('duration') && d.line === 13)).toBe(true);
    for (const d of diagnostics) expect(d.column).toBeGreaterThan(0);
    const publish = await api.call('admin', { method: 'POST', url: `/api/v1/templates/${key}/publish` });
    expect(publish.statusCode).toBe(422);
    expect((await api.call('admin', { method: 'GET', url: `/api/v1/templates/${key}/versions` })).json().items).toEqual(
      [],
    );
  });

  it('finishes a running instance on its own version after a new one is published', async () => {
    const { key, yaml } = approvalTemplate(undefined, 'v1');
    expect(await publish(yaml, key)).toBe(1);
    const old = await start(key, `old+${randomUUID().slice(0, 8)}@example.test`);
    const oldTask = await openTaskOf(old.json().id);
    expect(await publish(approvalTemplate(key, 'v2').yaml, key)).toBe(2);
    expect(await publish(approvalTemplate(key, 'v2').yaml, key)).toBe(2);

    const fresh = await start(key, `new+${randomUUID().slice(0, 8)}@example.test`);
    expect(fresh.json().version).toBe(2);
    const oldDone = await api.call('manager', {
      method: 'POST',
      url: `/api/v1/tasks/${encodeURIComponent(oldTask.id)}/complete`,
      payload: { outcome: 'rejected' },
    });
    expect(oldDone.statusCode).toBe(200);
    expect(await finished(old.json().id)).toMatchObject({
      version: 1,
      status: 'completed',
      result: { approved: false, label: 'v1' },
    });
    const freshTask = await openTaskOf(fresh.json().id);
    const freshDone = await api.call('manager', {
      method: 'POST',
      url: `/api/v1/tasks/${encodeURIComponent(freshTask.id)}/complete`,
      payload: { outcome: 'rejected' },
    });
    expect(freshDone.statusCode).toBe(200);
    expect(await finished(fresh.json().id)).toMatchObject({ version: 2, result: { label: 'v2' } });

    expect(
      (await api.call('rep', { method: 'GET', url: `/api/v1/templates/${key}/diff?from=1&to=2` })).statusCode,
    ).toBe(403);
    const diff = await api.call('admin', { method: 'GET', url: `/api/v1/templates/${key}/diff?from=1&to=2` });
    expect(diff.json().diff).toContain('-            end: { result: { approved: false, label: v1 } }');
    expect(diff.json().changedLines).toEqual({ added: 2, removed: 2 });
  });

  it("rejects a start whose input breaks the template's input schema, or of an unknown template", async () => {
    const { key, yaml } = approvalTemplate();
    await publish(yaml, key);
    const bad = await api.call('admin', {
      method: 'POST',
      url: '/api/v1/instances',
      payload: { template: key, input: { customerEmail: 'not-an-address' } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const paths = (bad.json().errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(['/body/input/amount', '/body/input/customerEmail']);
    const unknown = await api.call('admin', {
      method: 'POST',
      url: '/api/v1/instances',
      payload: { template: 'no-such-template', input: {} },
    });
    expect(unknown.statusCode).toBe(404);
    expect((await api.call('admin', { method: 'GET', url: `/api/v1/instances?template=${key}` })).json().items).toEqual(
      [],
    );
  });

  it('cancels a running instance: its open task is withdrawn and the instance ends cancelled', async () => {
    const { key, yaml } = approvalTemplate();
    await publish(yaml, key);
    const started = await start(key, `cancel+${randomUUID().slice(0, 8)}@example.test`);
    const task = await openTaskOf(started.json().id);
    expect(
      (await api.call('rep', { method: 'POST', url: `/api/v1/instances/${started.json().id}/cancel` })).statusCode,
    ).toBe(403);
    // The rep's manager holds instances.cancel, but this instance is neither theirs nor of a record they see.
    expect(
      (await api.call('manager', { method: 'POST', url: `/api/v1/instances/${started.json().id}/cancel` })).statusCode,
    ).toBe(404);
    expect(
      (await api.call('admin', { method: 'POST', url: `/api/v1/instances/${started.json().id}/cancel` })).statusCode,
    ).toBe(202);
    expect(await finished(started.json().id)).toMatchObject({ status: 'cancelled' });
    const withdrawn = await eventually(async () => {
      const body = (
        await api.call('admin', { method: 'GET', url: `/api/v1/tasks/${encodeURIComponent(task.id)}` })
      ).json();
      return body.status === 'open' ? undefined : body;
    }, 'the task to be withdrawn');
    expect(withdrawn.status).toBe('cancelled');
    const late = await api.call('manager', {
      method: 'POST',
      url: `/api/v1/tasks/${encodeURIComponent(task.id)}/complete`,
      payload: { outcome: 'approved' },
    });
    expect(late.statusCode).toBe(409);
  });

  it('claims and delegates a task to another candidate, and only the new assignee may complete it', async () => {
    const { key, yaml } = approvalTemplate();
    await publish(yaml, key);
    const started = await start(key, `claim+${randomUUID().slice(0, 8)}@example.test`);
    const task = await openTaskOf(started.json().id);
    const url = `/api/v1/tasks/${encodeURIComponent(task.id)}`;
    expect((await api.call('rep', { method: 'POST', url: `${url}/claim` })).statusCode).toBe(404);
    const claimed = await api.call('manager', { method: 'POST', url: `${url}/claim` });
    expect(claimed.statusCode).toBe(200);
    expect(claimed.json()).toMatchObject({ assignee: 'u-sales-manager', status: 'open' });
    expect(
      (await api.call('manager', { method: 'POST', url: `${url}/delegate`, payload: { to: 'u-nobody' } })).statusCode,
    ).toBe(422);
    // A rep could not be a candidate of a task for sales managers.
    const toRep = await api.call('manager', { method: 'POST', url: `${url}/delegate`, payload: { to: 'u-sales-rep' } });
    expect(toRep.statusCode).toBe(422);
    expect(toRep.json().type).toMatch(/delegate-not-candidate$/);
    const delegated = await api.call('manager', {
      method: 'POST',
      url: `${url}/delegate`,
      payload: { to: 'u-mgr-east' },
    });
    expect(delegated.statusCode).toBe(200);
    expect(delegated.json()).toMatchObject({ assignee: 'u-mgr-east' });
    const asEast = (options: InjectOptions) =>
      api.app.inject({ ...options, headers: { 'x-api-key': 'demo-mgr-east-key' } });
    const eastInbox = (await asEast({ method: 'GET', url: '/api/v1/tasks?assignee=me&status=open' })).json().items as {
      id: string;
    }[];
    expect(eastInbox.map((t) => t.id)).toContain(task.id);
    expect(
      (await api.call('manager', { method: 'POST', url: `${url}/complete`, payload: { outcome: 'approved' } }))
        .statusCode,
    ).toBe(404);
    const done = await asEast({ method: 'POST', url: `${url}/complete`, payload: { outcome: 'approved' } });
    expect(done.statusCode).toBe(200);
    expect(done.json().completedBy).toBe('u-mgr-east');
  });

  it('refuses callers without a valid API key and designers-only actions to others', async () => {
    const anonymous = await api.app.inject({ method: 'GET', url: '/api/v1/tasks' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer');
    const wrong = await api.app.inject({
      method: 'GET',
      url: '/api/v1/tasks',
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.statusCode).toBe(401);
    const { key, yaml } = approvalTemplate();
    const forbidden = await api.call('rep', {
      method: 'PUT',
      url: `/api/v1/templates/${key}/draft`,
      headers: { 'content-type': 'application/yaml' },
      payload: yaml,
    });
    expect(forbidden.statusCode).toBe(403);
    const schema = await api.app.inject({ method: 'GET', url: '/api/v1/schema/template' });
    expect(schema.statusCode).toBe(200);
    expect(schema.json().properties.steps).toBeDefined();
  });
});
