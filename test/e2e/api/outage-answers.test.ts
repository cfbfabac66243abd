import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Client, type Connection } from '@temporalio/client';
import { ACTIVITY_CATALOG } from '../../../activities';
import { buildApp } from '../../../api/app';
import { openOrm, type Orm } from '../../../db/orm';
import { TemplateRegistry } from '../../../db/repositories';
import { seedEngineUsers } from '../../../db/seed/engine-users';
import { compileTemplate } from '../../../dsl/compile';
import { createReadinessChecks } from '../../../runtime/readiness-checks';
import {
  connectTemporalClient,
  lazyTemporalClient,
  TEMPORAL_CALL_RETRY,
} from '../../../runtime/temporal-client-connection';
import { eventuallyPasses } from '../../support/eventually';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy';
import { testServers } from '../../support/test-env';
import { TEST_AUTH, TEST_AUTH_SECRET } from '../../support/test-auth';

const REP = { 'x-api-key': 'demo-rep-key' };
const ADMIN = { 'x-api-key': 'demo-admin-key' };

function expectOutage(response: LightMyRequestResponse, dependency: string) {
  expect(response.statusCode).toBe(503);
  expect(response.headers['retry-after']).toBe('5');
  expect(response.headers['content-type']).toContain('application/problem+json');
  expect(response.json()).toMatchObject({
    type: 'https://crm-engine.dev/problems/service-unavailable',
    status: 503,
    dependency,
  });
}

/** While PostgreSQL or Temporal cannot be reached, clients are told to come back (503 + Retry-After), never given a 500. */
describe('answers while a server is unreachable', () => {
  describe('PostgreSQL gone (its connections reset, new ones refused)', () => {
    let proxy: TcpProxy;
    let orm: Orm;
    let connection: Connection;
    let app: FastifyInstance;
    beforeAll(async () => {
      const target = new URL(testServers().appDatabaseUrl);
      proxy = await startTcpProxy(target.hostname, Number(target.port));
      const viaProxy = new URL(target);
      viaProxy.hostname = '127.0.0.1';
      viaProxy.port = String(proxy.port);
      orm = await openOrm(viaProxy.toString(), { poolMax: 2, connectTimeoutMs: 1_000 });
      await seedEngineUsers(orm.em.fork(), TEST_AUTH_SECRET);
      connection = await connectTemporalClient({ address: testServers().temporalAddress });
      app = await buildApp({
        readiness: createReadinessChecks(orm, connection, testServers().namespace),
        engine: {
          orm,
          client: new Client({ connection, namespace: testServers().namespace }),
          taskQueue: `outage-${randomUUID()}`,
          catalog: ACTIVITY_CATALOG,
          triggerPollMs: 0,
          auth: TEST_AUTH,
        },
      });
      await app.ready();
    });
    afterAll(async () => {
      await app.close();
      await connection.close();
      await orm.close();
      await proxy.close();
    });

    it('answers reads and creates 503 with Retry-After, and the retried create succeeds once it is back', async () => {
      expect((await app.inject({ url: '/api/v1/leads', headers: REP })).statusCode).toBe(200);
      await proxy.cut();
      expectOutage(await app.inject({ url: '/api/v1/leads', headers: REP }), 'database');
      const key = `outage-${randomUUID()}`;
      const lead = { source: 'web', company: `Outage ${randomUUID()}`, contactName: 'Wang Wu' };
      const create = () =>
        app.inject({
          method: 'POST',
          url: '/api/v1/leads',
          headers: { ...REP, 'idempotency-key': key },
          payload: lead,
        });
      expectOutage(await create(), 'database');
      expectOutage(
        await app.inject({
          method: 'POST',
          url: '/api/v1/orders',
          headers: REP,
          payload: { customerId: 'C-1', lines: [{ productId: 'P-1', quantity: 1 }] },
        }),
        'database',
      );
      const ready = await app.inject({ url: '/readyz' });
      expect(ready.statusCode).toBe(503);

      await proxy.restore();
      const created = await eventuallyPasses(async () => {
        const answer = await create();
        expect(answer.statusCode).toBe(201);
        return answer;
      }, 'the create once PostgreSQL is back');
      const retried = await create();
      expect(retried.statusCode).toBe(200);
      expect(retried.json().lead.id).toBe(created.json().lead.id);
    });

    it('answers 503 within the connect timeout when the network to PostgreSQL drops everything', async () => {
      await proxy.blackHole();
      try {
        // The pool's reset connections fail at once; the one after them waits for a server that never answers.
        expectOutage(await app.inject({ url: '/api/v1/leads', headers: REP }), 'database');
        await new Promise((resolve) => setTimeout(resolve, 300));
        const started = Date.now();
        expectOutage(await app.inject({ url: '/api/v1/leads', headers: REP }), 'database');
        expect(Date.now() - started).toBeGreaterThanOrEqual(900);
        expect(Date.now() - started).toBeLessThan(10_000);
      } finally {
        await proxy.restore();
      }
      await eventuallyPasses(async () => {
        expect((await app.inject({ url: '/api/v1/leads', headers: REP })).statusCode).toBe(200);
      }, 'reads once PostgreSQL is reachable again');
    });
  });

  describe('Temporal gone', () => {
    let orm: Orm;
    let connection: Connection;
    let app: FastifyInstance;
    const templateKey = `outage-start-${randomUUID().slice(0, 8)}`;
    beforeAll(async () => {
      orm = await openOrm(testServers().appDatabaseUrl, { poolMax: 2 });
      await seedEngineUsers(orm.em.fork(), TEST_AUTH_SECRET);
      const yaml = [
        `key: ${templateKey}`,
        'name: Outage start',
        'input: { type: object, properties: {} }',
        'steps:',
        '  - { id: done, end: {} }',
        '',
      ].join('\n');
      const { plan, diagnostics } = compileTemplate(yaml, { catalog: ACTIVITY_CATALOG });
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      await new TemplateRegistry().publish(orm.em.fork(), plan!.key, plan!, yaml, 'test');
      // Nothing listens on port 1; the client retries the way the product's does.
      connection = lazyTemporalClient({
        address: '127.0.0.1:1',
        connectTimeout: '1s',
        retry: TEMPORAL_CALL_RETRY,
      });
      app = await buildApp({
        readiness: createReadinessChecks(orm, connection as never, 'default'),
        engine: {
          orm,
          client: new Client({ connection }),
          taskQueue: `outage-${randomUUID()}`,
          catalog: ACTIVITY_CATALOG,
          triggerPollMs: 0,
          auth: TEST_AUTH,
        },
      });
      await app.ready();
    });
    afterAll(async () => {
      await app?.close();
      await connection?.close().catch(() => undefined);
      await orm.close();
    });

    it('answers a start 503 with Retry-After, with and without an Idempotency-Key', async () => {
      const start = (headers: Record<string, string>) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/instances',
          headers: { ...ADMIN, ...headers },
          payload: { template: templateKey, input: {} },
        });
      const started = Date.now();
      expectOutage(await start({}), 'temporal');
      // Answered while a client still waits, not after the SDK's default ~18 s of retries.
      expect(Date.now() - started).toBeLessThan(8_000);
      expectOutage(await start({ 'idempotency-key': `start-${randomUUID()}` }), 'temporal');
      // What needs only PostgreSQL still answers.
      expect((await app.inject({ url: '/api/v1/leads', headers: REP })).statusCode).toBe(200);
    });
  });
});
