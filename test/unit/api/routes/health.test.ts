import { afterEach, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../../api/app';
import type { ReadinessChecks } from '../../../../api/app';

const ok = async () => {};
const refused = async () => {
  throw new Error('connect ECONNREFUSED 127.0.0.1:7233');
};
const PROBLEM_CONTENT_TYPE = /^application\/problem\+json/;

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('GET /healthz', () => {
  it('answers ok without calling any dependency', async () => {
    let calls = 0;
    const counted = async () => {
      calls += 1;
    };
    app = await buildApp({ readiness: { database: counted, temporal: counted } });
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    expect(calls).toBe(0);
  });
});

describe('GET /readyz', () => {
  it('answers ready when both checks resolve', async () => {
    app = await buildApp({ readiness: { database: ok, temporal: ok } });
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', checks: { database: 'ok', temporal: 'ok' } });
  });

  it('answers a 503 problem naming temporal when its check rejects', async () => {
    app = await buildApp({ readiness: { database: ok, temporal: refused } });
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(PROBLEM_CONTENT_TYPE);
    expect(res.json()).toEqual({
      type: 'https://crm-engine.dev/problems/service-unavailable',
      title: 'Service Unavailable',
      status: 503,
      detail: 'Not ready: temporal unreachable (connect ECONNREFUSED 127.0.0.1:7233)',
      instance: '/readyz',
      checks: { database: 'ok', temporal: 'failed' },
    });
  });

  it('names every failed dependency', async () => {
    const down = async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    };
    app = await buildApp({ readiness: { database: down, temporal: refused } });
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    const body = res.json();
    expect(body.detail).toContain('database unreachable (connect ECONNREFUSED 127.0.0.1:5432)');
    expect(body.detail).toContain('temporal unreachable');
    expect(body.checks).toEqual({ database: 'failed', temporal: 'failed' });
  });

  it('counts a check that hangs past the timeout as failed', async () => {
    const hangs = () => new Promise<void>(() => {});
    app = await buildApp({ readiness: { database: hangs, temporal: ok }, readinessTimeoutMs: 20 });
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({
      detail: 'Not ready: database timed out (no answer within 20 ms)',
      checks: { database: 'failed', temporal: 'ok' },
    });
  });

  it('runs the checks concurrently', async () => {
    // The database check only finishes once the temporal check has started:
    // run one after the other, database first, it would time out.
    let temporalStarted!: () => void;
    const started = new Promise<void>((resolve) => {
      temporalStarted = resolve;
    });
    const readiness: ReadinessChecks = {
      database: () => started,
      temporal: async () => temporalStarted(),
    };
    app = await buildApp({ readiness, readinessTimeoutMs: 1000 });
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
  });

  it('treats a check that throws synchronously as failed, not as a 500', async () => {
    const throwsAtOnce = (() => {
      throw new Error('client not connected');
    }) as unknown as () => Promise<void>;
    app = await buildApp({ readiness: { database: ok, temporal: throwsAtOnce } });
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json().detail).toBe('Not ready: temporal unreachable (client not connected)');
  });

  it('checks the worker and reports each embedded server when the process supervises them', async () => {
    app = await buildApp({
      readiness: { database: ok, temporal: ok, worker: ok, services: () => ({ postgres: 'up', temporal: 'up' }) },
    });
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', temporal: 'ok', worker: 'ok' },
      services: { postgres: 'up', temporal: 'up' },
    });
  });

  it('is not ready while an embedded server restarts, naming it, or when no worker polls', async () => {
    const noWorker = async () => {
      throw new Error('no worker polled workflow tasks of crm-processes in the last 75 s');
    };
    app = await buildApp({
      readiness: {
        database: ok,
        temporal: ok,
        worker: noWorker,
        services: () => ({ postgres: 'up', temporal: 'restarting', smtp: 'down' }),
      },
    });
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(PROBLEM_CONTENT_TYPE);
    expect(res.json()).toMatchObject({
      checks: { database: 'ok', temporal: 'ok', worker: 'failed' },
      services: { postgres: 'up', temporal: 'restarting', smtp: 'down' },
    });
    expect(res.json().detail).toBe(
      'Not ready: embedded temporal server restarting; embedded smtp server down; worker unreachable (no worker polled workflow tasks of crm-processes in the last 75 s)',
    );
  });
});
