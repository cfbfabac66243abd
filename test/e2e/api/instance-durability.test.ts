import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { lastGoodPoint } from '../../../api/services/instance-reset';
import { eventually, startApiHarness, type ApiHarness } from '../../support/api-harness';
import { listMail } from '../../support/mailbox';
import { startSmtpGate } from '../../support/smtp-gate';
import { testServers } from '../../support/test-env';

/** One mail step; `retry` is the step's retry policy (YAML flow mapping). */
function mailTemplate(key: string, retry: string): string {
  return `key: ${key}
name: E2E durability
input: { type: object, properties: { to: { type: string } }, required: [to] }
businessKey: =input.to
steps:
  - id: notify
    call: mail.send
    with: { to: =input.to, subject: Durability test, text: hello }
    retry: ${retry}
  - id: done
    end: { result: { sent: true } }
`;
}

/** Call steps outlast outages; a failed instance is run again from before its failure, by the API or a raw reset. */
describe('durability of instances: unbounded retries and resets of failed instances', () => {
  let api: ApiHarness;
  let smtp: Awaited<ReturnType<typeof startSmtpGate>>;
  beforeAll(async () => {
    smtp = await startSmtpGate();
    api = await startApiHarness({ smtpUrl: smtp.url });
  });
  afterAll(async () => {
    smtp.open();
    await api.close();
    await smtp.stop();
  });

  const get = (url: string) => api.call('admin', { method: 'GET', url });
  const instance = async (id: string) => (await get(`/api/v1/instances/${id}`)).json();
  const start = async (key: string, to: string) => {
    const started = await api.call('admin', {
      method: 'POST',
      url: '/api/v1/instances',
      payload: { template: key, input: { to } },
    });
    expect(started.statusCode).toBe(201);
    return started.json().id as string;
  };
  const statusIs = (id: string, status: string, timeoutMs = 30_000) =>
    eventually(async () => ((await instance(id)).status === status ? instance(id) : undefined), {
      description: `instance ${id} ${status}`,
      timeoutMs,
    });
  const mailsTo = async (to: string) => (await listMail()).filter((m) => m.to.includes(to));

  /** Fails the only step at once (one attempt, relay down), then ends the incident as failed. */
  const failedInstance = async (prefix: string) => {
    const key = `${prefix}-${randomUUID().slice(0, 8)}`;
    await api.publish(key, mailTemplate(key, '{ maximumAttempts: 1 }'));
    const to = `${prefix}+${randomUUID().slice(0, 8)}@example.test`;
    smtp.close();
    const id = await start(key, to);
    await statusIs(id, 'incident');
    const failed = await api.call('admin', { method: 'POST', url: `/api/v1/instances/${id}/fail` });
    expect(failed.statusCode).toBe(202);
    await statusIs(id, 'failed');
    smtp.open();
    return { id, to };
  };

  it('a call step without an attempt limit outlasts a relay outage longer than the old 5 attempts, shown as incident meanwhile, and sends ONE mail', async () => {
    const key = `e2e-unbounded-${randomUUID().slice(0, 8)}`;
    // The default policy (no attempt limit) with a short, flat interval to keep the test fast.
    await api.publish(key, mailTemplate(key, '{ initialInterval: PT1S, backoffCoefficient: 1 }'));
    const to = `unbounded+${randomUUID().slice(0, 8)}@example.test`;
    smtp.close();
    const id = await start(key, to);
    const failing = await eventually(
      async () => {
        const body = await instance(id);
        return body.incidents?.[0]?.attempt >= 7 ? body : undefined;
      },
      { description: 'the seventh failed attempt recorded as an incident', timeoutMs: 40_000 },
    );
    expect(failing).toMatchObject({
      status: 'running',
      incidents: [expect.objectContaining({ activityType: 'mail.send', message: expect.any(String) })],
    });
    const listed = (await get(`/api/v1/instances?status=incident&template=${key}`)).json().items;
    expect(listed).toEqual([expect.objectContaining({ id, incidentCount: 1 })]);

    smtp.open();
    const done = await statusIs(id, 'completed');
    expect(done).toMatchObject({ result: { sent: true }, incidents: [] });
    expect(await mailsTo(to)).toHaveLength(1);
  });

  it('POST /instances/:id/retry runs a failed instance again from before its failure: running, then completed, one mail, timeline continued', async () => {
    const { id, to } = await failedInstance('e2e-reset-api');
    expect(await mailsTo(to)).toHaveLength(0);
    expect((await instance(id)).allowed).toMatchObject({ retry: true, cancel: false });
    const denied = await api.call('manager', { method: 'POST', url: `/api/v1/instances/${id}/retry` });
    expect(denied.statusCode).toBe(403);

    const retried = await api.call('admin', { method: 'POST', url: `/api/v1/instances/${id}/retry` });
    expect(retried.statusCode).toBe(202);
    expect(retried.json()).toEqual({
      accepted: true,
      instanceId: id,
      activities: [],
      steps: [],
      runId: expect.any(String),
    });
    // The row is reopened at once, before the new run first writes.
    expect(['running', 'completed']).toContain((await instance(id)).status);
    const done = await statusIs(id, 'completed');
    expect(done).toMatchObject({ result: { sent: true }, incidents: [] });
    expect(done.error ?? null).toBeNull();
    expect(await mailsTo(to)).toHaveLength(1);

    const em = api.engine.orm.em.fork();
    const [row] = await em.execute<{ run_id: string; superseded_run_ids: string[] }[]>(
      'select run_id, superseded_run_ids from process_instance where id = ?',
      [id],
    );
    expect(row).toMatchObject({ run_id: retried.json().runId, superseded_run_ids: [expect.any(String)] });
    const timeline = await em.execute<{ seq: number; type: string }[]>(
      'select seq, type from timeline_entry where instance_id = ? order by seq',
      [id],
    );
    const types = timeline.map((e) => e.type);
    expect(types.indexOf('instance.failed')).toBeGreaterThan(-1);
    expect(types.lastIndexOf('instance.completed')).toBeGreaterThan(types.indexOf('instance.failed'));
    expect(new Set(timeline.map((e) => e.seq)).size).toBe(timeline.length);
    const audit = (await get(`/api/v1/audit?subject=${encodeURIComponent(`instance:${id}`)}`)).json().items;
    expect(audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'instance.retry',
          after: expect.objectContaining({ failed: true, runId: retried.json().runId }),
        }),
      ]),
    );

    const again = await api.call('admin', { method: 'POST', url: `/api/v1/instances/${id}/retry` });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
  });

  it('a raw resetWorkflowExecution (what `temporal workflow reset` does) of a failed instance: the projection follows the new run to completed', async () => {
    const { id, to } = await failedInstance('e2e-reset-raw');
    const { client } = api.engine;
    const history = await client.workflow.getHandle(id).fetchHistory();
    const point = lastGoodPoint(history.events ?? []);
    expect(point).not.toBeNull();
    await client.workflowService.resetWorkflowExecution({
      namespace: testServers().namespace,
      workflowExecution: { workflowId: id },
      reason: 'e2e: reset by hand',
      workflowTaskFinishEventId: point! as never,
      requestId: randomUUID(),
    });
    const done = await statusIs(id, 'completed');
    expect(done).toMatchObject({ result: { sent: true } });
    expect(done.error ?? null).toBeNull();
    const listed = (await get(`/api/v1/instances?businessKey=${encodeURIComponent(to)}`)).json().items;
    expect(listed).toEqual([expect.objectContaining({ id, status: 'completed' })]);
    expect(await mailsTo(to)).toHaveLength(1);
  });
});
