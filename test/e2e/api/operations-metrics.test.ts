import { Writable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { ACTIVITY_CATALOG } from '../../../activities';
import { buildApp } from '../../../api/app';
import { createReadinessChecks } from '../../../runtime/readiness-checks';
import { eventually, startApiHarness, type ApiHarness } from '../../support/api-harness';
import { eventuallyPasses } from '../../support/eventually';
import { TEST_AUTH } from '../../support/test-auth';
import { testServers } from '../../support/test-env';
import { approvalTemplate } from './approval-template';

/** One sample of the Prometheus text format: `name{label="value",…} number`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, name, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[name!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

describe('operations: GET /api/v1/metrics, log ids, Temporal UI links', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApiHarness();
  });
  afterAll(async () => {
    await api?.close();
  });

  async function scrape(headers: Record<string, string> = { 'x-api-key': 'demo-admin-key' }): Promise<Sample[]> {
    const response = await api.app.inject({ method: 'GET', url: '/api/v1/metrics', headers });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseExposition(response.body);
  }

  it('counts instances and open tasks of a template as they start and complete', async () => {
    const { key, yaml } = approvalTemplate(`e2e-metrics-${randomUUID().slice(0, 8)}`);
    await api.publish(key, yaml);
    const before = await scrape();
    expect(valueOf(before, 'crm_metrics_database_readings_ok')).toBe(1);
    expect(valueOf(before, 'crm_process_instances', { template: key })).toBeUndefined();
    expect(before.some((s) => s.name === 'process_cpu_user_seconds_total')).toBe(true);
    expect(before.some((s) => s.name === 'crm_mail_outbox_pending')).toBe(true);
    expect(before.some((s) => s.name === 'crm_trigger_event_oldest_pending_age_seconds')).toBe(true);
    expect(before.some((s) => s.name === 'crm_webhook_delivery_oldest_pending_age_seconds')).toBe(true);

    const started = await api.call('admin', {
      method: 'POST',
      url: '/api/v1/instances',
      payload: { template: key, input: { customerEmail: `m+${randomUUID().slice(0, 6)}@example.test`, amount: 5 } },
    });
    expect(started.statusCode).toBe(201);
    const instanceId = started.json().id as string;
    // Readings are cached for 5 s: polling until the scrape reflects the start also proves they refresh.
    const running = await eventually(
      async () => {
        const samples = await scrape();
        return valueOf(samples, 'crm_open_tasks', { template: key, queue: 'sales-manager' }) === 1
          ? samples
          : undefined;
      },
      { description: 'the open task in /metrics', timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(valueOf(running, 'crm_process_instances', { template: key, status: 'running' })).toBe(1);
    expect(valueOf(running, 'crm_open_tasks_by_age', { template: key, queue: 'sales-manager', le: '300' })).toBe(1);
    expect(valueOf(running, 'crm_open_tasks_by_age', { template: key, queue: 'sales-manager', le: '+Inf' })).toBe(1);
    expect(valueOf(running, 'crm_open_tasks_overdue', { template: key, queue: 'sales-manager' })).toBe(0);
    const age = valueOf(running, 'crm_open_task_oldest_age_seconds', { template: key, queue: 'sales-manager' });
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(300);

    const task = await eventually(async () => {
      const inbox = await api.call('manager', { method: 'GET', url: '/api/v1/tasks?status=open' });
      return (inbox.json().items as { id: string; instanceId: string }[]).find((t) => t.instanceId === instanceId);
    }, 'the task in the inbox');
    // Past its due time: an SLA breach, open and then done late.
    await api.engine.orm.em
      .fork()
      .getConnection()
      .execute(`update task set due_at = now() - interval '1 hour' where id = ?`, [task.id]);
    await eventuallyPasses(
      async () => {
        const samples = await scrape();
        expect(valueOf(samples, 'crm_open_tasks_overdue', { template: key, queue: 'sales-manager' })).toBe(1);
        expect(valueOf(samples, 'crm_task_sla_breaches', { template: key, queue: 'sales-manager' })).toBe(1);
      },
      { description: 'the breach in /metrics', timeoutMs: 30_000, intervalMs: 500 },
    );
    const completed = await api.call('manager', {
      method: 'POST',
      url: `/api/v1/tasks/${encodeURIComponent(task.id)}/complete`,
      payload: { outcome: 'rejected', form: { reason: 'no' } },
    });
    expect(completed.statusCode).toBe(200);
    await eventuallyPasses(
      async () => {
        const samples = await scrape();
        expect(valueOf(samples, 'crm_process_instances', { template: key, status: 'completed' })).toBe(1);
        expect(valueOf(samples, 'crm_process_instances', { template: key, status: 'running' })).toBeUndefined();
        expect(valueOf(samples, 'crm_open_tasks', { template: key, queue: 'sales-manager' })).toBeUndefined();
        expect(valueOf(samples, 'crm_task_sla_breaches', { template: key, queue: 'sales-manager' })).toBe(1);
      },
      { description: 'the completion in /metrics', timeoutMs: 30_000, intervalMs: 500 },
    );
  }, 120_000);

  it('answers 401 without a credential, 403 without metrics.read or outside a key’s scope, 200 to a monitoring key', async () => {
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/metrics' })).statusCode).toBe(401);
    const manager = await api.call('manager', { method: 'GET', url: '/api/v1/metrics' });
    expect(manager.statusCode).toBe(403);
    expect(manager.headers['content-type']).toMatch(/^application\/problem\+json/);

    const userId = `monitoring-${randomUUID().slice(0, 8)}`;
    const user = await api.call('admin', {
      method: 'POST',
      url: '/api/v1/users',
      payload: { id: userId, name: 'Prometheus', email: `${userId}@example.test`, roles: ['system'] },
    });
    expect(user.statusCode).toBe(201);
    const keyWith = async (read: string[]) => {
      const created = await api.call('admin', {
        method: 'POST',
        url: '/api/v1/api-keys',
        payload: { userId, name: `scrape ${read.join(',')}`, scopes: { read } },
      });
      expect(created.statusCode).toBe(201);
      return created.json().secret as string;
    };
    const outOfScope = await api.app.inject({
      method: 'GET',
      url: '/api/v1/metrics',
      headers: { 'x-api-key': await keyWith(['orders']) },
    });
    expect(outOfScope.statusCode).toBe(403);
    // Prometheus sends its credential as a bearer token.
    const samples = await scrape({ authorization: `Bearer ${await keyWith(['metrics'])}` });
    expect(samples.some((s) => s.name === 'crm_process_instances')).toBe(true);
    // Where Prometheus looks by default: a redirect to the authenticated route, not the web app.
    const root = await api.app.inject({ method: 'GET', url: '/metrics' });
    expect(root.statusCode).toBe(308);
    expect(root.headers.location).toBe('/api/v1/metrics');
  });

  it('links every instance to the Temporal Web UI: at the start, in lists and in the detail', async () => {
    const { key, yaml } = approvalTemplate(`e2e-link-${randomUUID().slice(0, 8)}`);
    await api.publish(key, yaml);
    const started = await api.call('admin', {
      method: 'POST',
      url: '/api/v1/instances',
      payload: { template: key, input: { customerEmail: 'link@example.test', amount: 1 } },
    });
    expect(started.statusCode).toBe(201);
    const id = started.json().id as string;
    const link = `http://localhost:8233/namespaces/${encodeURIComponent(testServers().namespace)}/workflows/${encodeURIComponent(id)}`;
    expect(started.json().temporalUrl).toBe(link);
    const listed = await eventually(async () => {
      const page = await api.call('admin', { method: 'GET', url: `/api/v1/instances?template=${key}` });
      return (page.json().items as { id: string; temporalUrl?: string }[]).find((item) => item.id === id);
    }, 'the instance in the list');
    expect(listed.temporalUrl).toBe(link);
    const detail = await api.call('admin', { method: 'GET', url: `/api/v1/instances/${encodeURIComponent(id)}` });
    expect(detail.json().temporalUrl).toBe(link);
  });

  describe('request log lines', () => {
    let app: FastifyInstance;
    const lines: Record<string, unknown>[] = [];
    beforeAll(async () => {
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
            lines.push(JSON.parse(line) as Record<string, unknown>);
          done();
        },
      });
      app = await buildApp({
        logger: pino({ level: 'info' }, sink),
        readiness: createReadinessChecks(
          api.engine.orm,
          api.engine.client.connection as never,
          testServers().namespace,
        ),
        engine: {
          orm: api.engine.orm,
          client: api.engine.client,
          taskQueue: api.engine.taskQueue,
          catalog: ACTIVITY_CATALOG,
          auth: TEST_AUTH,
          triggerPollMs: 0,
        },
      });
      await app.ready();
    });
    afterAll(async () => {
      await app?.close();
    });

    it('carry the instance and task ids of the route', async () => {
      const instanceId = `log-ids-${randomUUID().slice(0, 8)}`;
      const taskId = `${instanceId}:steps[1]@0`;
      const headers = { 'x-api-key': 'demo-admin-key' };
      await app.inject({ method: 'GET', url: `/api/v1/instances/${instanceId}/timeline`, headers });
      await app.inject({ method: 'GET', url: `/api/v1/tasks/${encodeURIComponent(taskId)}`, headers });
      const completedFor = (url: string) =>
        lines.find(
          (line) =>
            line.msg === 'request completed' &&
            lines.some((l) => l.reqId === line.reqId && (l.req as { url?: string } | undefined)?.url === url),
        );
      expect(completedFor(`/api/v1/instances/${instanceId}/timeline`)).toMatchObject({ instanceId });
      expect(completedFor(`/api/v1/tasks/${encodeURIComponent(taskId)}`)).toMatchObject({ instanceId, taskId });
    });
  });
});
