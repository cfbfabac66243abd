import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ACTIVITY_CATALOG } from '../../../activities';
import { buildApp } from '../../../api/app';
import { eventually, KEYS, startApiHarness, type ApiHarness } from '../../support/api-harness';
import { approvalTemplate } from './approval-template';
import { TEST_AUTH } from '../../support/test-auth';

/** The limits that keep one client from wedging a process or flooding an instance, on the real servers. */
describe('limits on the process API', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApiHarness();
  });
  afterAll(async () => {
    await api.close();
  });

  async function startApproval(): Promise<string> {
    const { key, yaml } = approvalTemplate();
    const headers = { 'content-type': 'application/yaml' };
    expect(
      (await api.call('admin', { method: 'PUT', url: `/api/v1/templates/${key}/draft`, headers, payload: yaml }))
        .statusCode,
    ).toBe(200);
    expect([200, 201]).toContain(
      (await api.call('admin', { method: 'POST', url: `/api/v1/templates/${key}/publish` })).statusCode,
    );
    const started = await api.call('admin', {
      method: 'POST',
      url: '/api/v1/instances',
      payload: { template: key, input: { customerEmail: `${randomUUID().slice(0, 8)}@example.com`, amount: 10 } },
    });
    expect(started.statusCode).toBe(201);
    return started.json<{ id: string }>().id;
  }

  async function openTaskOf(instanceId: string): Promise<string> {
    return eventually(async () => {
      const inbox = await api.call('manager', { method: 'GET', url: '/api/v1/tasks?status=open' });
      return inbox
        .json<{ items: Array<{ id: string; instanceId: string }> }>()
        .items.find((t) => t.instanceId === instanceId)?.id;
    }, `the task of ${instanceId}`);
  }

  it('refuses a task form holding a NUL with 400, and the process completes with a clean one', async () => {
    const instanceId = await startApproval();
    const taskId = await openTaskOf(instanceId);
    const complete = (reason: string) =>
      api.call('manager', {
        method: 'POST',
        url: `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`,
        payload: { outcome: 'approved', form: { reason } },
      });
    const refused = await complete('fine\u0000print');
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json()).toMatchObject({ errors: [{ path: '/body/form/reason' }] });
    expect((await complete('fine print')).statusCode).toBe(200);
    const finished = await eventually(async () => {
      const body = (await api.call('admin', { method: 'GET', url: `/api/v1/instances/${instanceId}` })).json<{
        status: string;
      }>();
      return body.status === 'running' ? undefined : body;
    }, `instance ${instanceId} to finish`);
    expect(finished).toMatchObject({ status: 'completed', result: { approved: true } });
  });

  it('refuses a free-form event payload over the size limit', async () => {
    const instanceId = await startApproval();
    const res = await api.call('admin', {
      method: 'POST',
      url: `/api/v1/instances/${instanceId}/events`,
      payload: { event: 'note.added', payload: { text: 'x'.repeat(20_000) } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ errors: [{ path: '/body/payload' }] });
  });

  describe('with the rate limits on', () => {
    let limited: FastifyInstance;
    beforeAll(async () => {
      limited = await buildApp({
        readiness: { database: async () => {}, temporal: async () => {} },
        engine: {
          orm: api.engine.orm,
          client: api.engine.client,
          taskQueue: api.engine.taskQueue,
          catalog: ACTIVITY_CATALOG,
          triggerPollMs: 0,
          auth: TEST_AUTH,
        },
        rateLimits: { perPrincipalPerMinute: 0, authFailuresPerIpPerMinute: 10, eventsPerRecordPerMinute: 3 },
      });
      await limited.ready();
    });
    afterAll(async () => limited.close());

    it('lets one instance take 3 events a minute, then answers 429 with Retry-After; another instance is not affected', async () => {
      const [first, second] = [await startApproval(), await startApproval()];
      const send = (instanceId: string) =>
        limited.inject({
          method: 'POST',
          url: `/api/v1/instances/${instanceId}/events`,
          headers: { 'x-api-key': KEYS.admin },
          payload: { event: 'note.added', payload: { n: 1 } },
        });
      for (let event = 0; event < 3; event++) expect((await send(first)).statusCode).toBe(202);
      const refused = await send(first);
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect((await send(second)).statusCode).toBe(202);
    });

    it('answers 429 with Retry-After after 10 bad keys from one address', async () => {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 15; attempt++) {
        const res = await limited.inject({
          method: 'GET',
          url: '/api/v1/templates',
          headers: { 'x-api-key': `guess-${attempt}` },
          remoteAddress: '192.0.2.7',
        });
        statuses.push(res.statusCode);
        if (res.statusCode === 429) expect(res.headers['retry-after']).toBeDefined();
      }
      expect(statuses).toEqual([...Array<number>(10).fill(401), ...Array<number>(5).fill(429)]);
    });
  });
});
