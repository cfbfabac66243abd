import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { eventually, startApiHarness, type ApiHarness } from '../../support/api-harness';
import { startSmtpGate } from '../../support/smtp-gate';
import { testServers } from '../../support/test-env';
import { approvalTemplate } from './approval-template';

/** A mail step whose relay is down: retried at `interval` × `coefficient`^n, far more often than it may fail. */
function mailTemplate(key: string, interval: string, coefficient: number): string {
  return `key: ${key}
name: E2E incident
input: { type: object, properties: { to: { type: string } }, required: [to] }
businessKey: =input.to
steps:
  - id: notify
    call: mail.send
    with: { to: =input.to, subject: Incident test, text: hello }
    retry: { maximumAttempts: 60, initialInterval: ${interval}, backoffCoefficient: ${coefficient}, maximumInterval: PT10M }
  - id: done
    end: { result: { sent: true } }
`;
}

describe('instances API for operators: filters, page detail, state, incidents and retry, bulk cancel', () => {
  let api: ApiHarness;
  let smtp: Awaited<ReturnType<typeof startSmtpGate>>;
  beforeAll(async () => {
    smtp = await startSmtpGate();
    api = await startApiHarness({ smtpUrl: smtp.url });
  });
  afterAll(async () => {
    await api.close();
    await smtp.stop();
  });

  const get = (as: 'admin' | 'manager' | 'rep', url: string) => api.call(as, { method: 'GET', url });
  const startAs = async (as: 'admin' | 'rep', template: string, input: unknown) => {
    const started = await api.call(as, { method: 'POST', url: '/api/v1/instances', payload: { template, input } });
    expect(started.statusCode).toBe(201);
    return started.json().id as string;
  };
  const projected = (id: string) =>
    eventually(async () => {
      const row = await get('admin', `/api/v1/instances?businessKey=${encodeURIComponent(id)}`);
      return row.json().items.length > 0 ? true : undefined;
    }, `instance with business key ${id} projected`);

  it('filters by version and business key; the page gets plan, Temporal link, allowed actions; state by visibility', async () => {
    const { key, yaml } = approvalTemplate();
    await api.publish(key, yaml);
    const first = `first+${randomUUID().slice(0, 8)}@example.test`;
    const firstId = await startAs('rep', key, { customerEmail: first, amount: 10 });
    await api.publish(key, approvalTemplate(key, 'v2').yaml);
    const second = `second+${randomUUID().slice(0, 8)}@example.test`;
    const secondId = await startAs('rep', key, { customerEmail: second, amount: 20 });
    await projected(first);
    await projected(second);

    const v1 = await get('admin', `/api/v1/instances?template=${key}&version=1`);
    expect(v1.json().items.map((i: { id: string }) => i.id)).toEqual([firstId]);
    const v2 = await get('admin', `/api/v1/instances?template=${key}&version=2`);
    expect(v2.json().items).toEqual([expect.objectContaining({ id: secondId, version: 2, incidentCount: 0 })]);
    const byKey = await get('rep', `/api/v1/instances?businessKey=${encodeURIComponent(second)}`);
    expect(byKey.json().items.map((i: { id: string }) => i.id)).toEqual([secondId]);
    const versionAlone = await get('admin', '/api/v1/instances?version=1');
    expect(versionAlone.statusCode).toBe(400);
    expect(versionAlone.headers['content-type']).toContain('application/problem+json');
    expect((await get('admin', '/api/v1/instances?status=stuck')).statusCode).toBe(400);

    const asAdmin = await get('admin', `/api/v1/instances/${firstId}`);
    expect(asAdmin.statusCode).toBe(200);
    expect(asAdmin.json()).toMatchObject({
      id: firstId,
      version: 1,
      templateName: 'E2E approval',
      plan: {
        key,
        version: 1,
        steps: expect.arrayContaining([expect.objectContaining({ id: 'review', path: 'steps[1]' })]),
      },
      incidents: [],
      temporalUrl: `http://localhost:8233/namespaces/${testServers().namespace}/workflows/${firstId}`,
      allowed: { cancel: true, sendEvent: true, retry: false },
    });
    // The rep started it: reads it, plan included (reps lack templates.read), but may do nothing to it.
    const asRep = await get('rep', `/api/v1/instances/${firstId}`);
    expect(asRep.json()).toMatchObject({ plan: { key }, allowed: { cancel: false, sendEvent: false, retry: false } });
    expect((await get('rep', `/api/v1/templates/${key}/versions/1`)).statusCode).toBe(403);

    const sent = await api.call('admin', {
      method: 'POST',
      url: `/api/v1/instances/${firstId}/events`,
      payload: { event: 'note.added', payload: { text: 'hello' }, eventId: 'e-1' },
    });
    expect(sent.statusCode).toBe(202);
    const full = await eventually(async () => {
      const body = (await get('admin', `/api/v1/instances/${firstId}/state`)).json();
      return body.tasks?.length === 1 && body.events.ignored.length === 1 ? body : undefined;
    }, 'the open task and the event in the state');
    expect(full).toMatchObject({
      status: 'running',
      source: 'workflow',
      visibility: 'full',
      currentSteps: ['review'],
      vars: {},
      steps: { log: expect.anything() },
      tasks: [{ stepId: 'review', candidateRole: 'sales-manager', assignee: null }],
      // No receive of the template waits for note.added, or buffers it: ignored, not held.
      events: {
        received: [],
        ignored: [{ event: 'note.added', eventId: 'e-1', at: expect.any(String) }],
        buffered: [],
      },
      timers: [{ kind: 'task-due', stepId: 'review', fireAt: expect.any(String) }],
    });
    const dueInHours = (Date.parse(full.timers[0].fireAt) - Date.now()) / 3_600_000;
    expect(dueInHours).toBeGreaterThan(23);
    expect(dueInHours).toBeLessThanOrEqual(24);

    const structure = (await get('rep', `/api/v1/instances/${firstId}/state`)).json();
    expect(structure).toMatchObject({ visibility: 'structure', vars: null, steps: null, currentSteps: ['review'] });
    expect(structure.tasks).toHaveLength(1);
    expect(structure.events).toMatchObject({ ignored: [{ event: 'note.added', eventId: 'e-1' }], buffered: [] });
    expect((await get('manager', `/api/v1/instances/${firstId}/state`)).statusCode).toBe(404);
    expect((await get('admin', '/api/v1/instances/no-such-instance/state')).statusCode).toBe(404);
  });

  it('cancels in bulk, saying what became of each; only with instances.cancel', async () => {
    const { key, yaml } = approvalTemplate();
    await api.publish(key, yaml);
    const ids = await Promise.all(
      [1, 2].map((n) =>
        startAs('admin', key, { customerEmail: `bulk${n}+${randomUUID().slice(0, 6)}@example.test`, amount: n }),
      ),
    );
    const denied = await api.call('rep', { method: 'POST', url: '/api/v1/instances/bulk-cancel', payload: { ids } });
    expect(denied.statusCode).toBe(403);
    const empty = await api.call('admin', {
      method: 'POST',
      url: '/api/v1/instances/bulk-cancel',
      payload: { ids: [] },
    });
    expect(empty.statusCode).toBe(400);

    const cancelled = await api.call('admin', {
      method: 'POST',
      url: '/api/v1/instances/bulk-cancel',
      payload: { ids: [...ids, 'no-such-instance'] },
    });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().items).toEqual([
      { id: ids[0], outcome: 'cancelled' },
      { id: ids[1], outcome: 'cancelled' },
      { id: 'no-such-instance', outcome: 'not-found' },
    ]);
    for (const id of ids)
      await eventually(async () => {
        const body = (await get('admin', `/api/v1/instances/${id}`)).json();
        return body.status === 'cancelled' ? body : undefined;
      }, `${id} cancelled`);
    const again = await api.call('admin', { method: 'POST', url: '/api/v1/instances/bulk-cancel', payload: { ids } });
    expect(again.json().items.map((i: { outcome: string }) => i.outcome)).toEqual(['not-running', 'not-running']);
  });

  it('records an activity failing repeatedly as an incident, lists it, clears it when the activity succeeds', async () => {
    smtp.close();
    const key = `e2e-incident-${randomUUID().slice(0, 8)}`;
    await api.publish(key, mailTemplate(key, 'PT1S', 1));
    const to = `incident+${randomUUID().slice(0, 8)}@example.test`;
    const id = await startAs('admin', key, { to });
    const listed = await eventually(
      async () => {
        const items = (await get('admin', `/api/v1/instances?status=incident&template=${key}`)).json().items;
        return items.length > 0 ? items : undefined;
      },
      { description: 'the instance listed with an incident', timeoutMs: 30_000 },
    );
    expect(listed).toEqual([expect.objectContaining({ id, status: 'running', incidentCount: 1 })]);
    const detail = (await get('admin', `/api/v1/instances/${id}`)).json();
    expect(detail.incidents).toEqual([
      expect.objectContaining({ activityType: 'mail.send', attempt: expect.any(Number), message: expect.any(String) }),
    ]);
    expect(detail.incidents[0].attempt).toBeGreaterThanOrEqual(3);
    expect(detail.allowed.retry).toBe(true);
    expect((await get('rep', `/api/v1/instances?status=incident&template=${key}`)).json().items).toEqual([]);

    smtp.open();
    await eventually(
      async () => ((await get('admin', `/api/v1/instances/${id}`)).json().status === 'completed' ? true : undefined),
      { description: 'the mail sent at the next attempt', timeoutMs: 30_000 },
    );
    expect((await get('admin', `/api/v1/instances?status=incident&template=${key}`)).json().items).toEqual([]);
    const rows = await api.engine.orm.em.fork().execute('select * from process_incident where instance_id = ?', [id]);
    expect(rows).toEqual([]);
  });

  it('retries an incident now (ResetActivity), long before its next scheduled attempt', async () => {
    smtp.close();
    const key = `e2e-retry-${randomUUID().slice(0, 8)}`;
    // Attempts at 0 s, 1 s and 11 s; the fourth would come 100 s later.
    await api.publish(key, mailTemplate(key, 'PT1S', 10));
    const id = await startAs('admin', key, { to: `retry+${randomUUID().slice(0, 8)}@example.test` });
    await eventually(
      async () => ((await get('admin', `/api/v1/instances/${id}`)).json().incidents?.length === 1 ? true : undefined),
      { description: 'the incident after the third attempt', timeoutMs: 40_000 },
    );
    expect((await api.call('manager', { method: 'POST', url: `/api/v1/instances/${id}/retry` })).statusCode).toBe(403);

    smtp.open();
    const retried = await api.call('admin', { method: 'POST', url: `/api/v1/instances/${id}/retry` });
    expect(retried.statusCode).toBe(202);
    expect(retried.json()).toEqual({ accepted: true, instanceId: id, activities: [expect.any(String)], steps: [] });
    const finished = await eventually(
      async () => {
        const body = (await get('admin', `/api/v1/instances/${id}`)).json();
        return body.status === 'completed' ? body : undefined;
      },
      { description: 'the retried mail sent and the instance completed', timeoutMs: 20_000 },
    );
    expect(finished).toMatchObject({ result: { sent: true }, incidents: [], allowed: { retry: false } });
    const again = await api.call('admin', { method: 'POST', url: `/api/v1/instances/${id}/retry` });
    expect(again.statusCode).toBe(409);
  });
});
