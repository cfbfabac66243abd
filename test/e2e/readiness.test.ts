import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Connection } from '@temporalio/client';
import { connectTemporalClient } from '../../runtime/temporal-client-connection';
import { buildApp } from '../../api/app';
import { openOrm, type Orm } from '../../db/orm';
import { createReadinessChecks } from '../../runtime/readiness-checks';
import { testServers } from '../support/test-env';

/** `/readyz` with the real checks against the real servers, and with each one broken in turn. */
describe('/readyz against the real servers', () => {
  let orm: Orm;
  let connection: Connection;
  beforeAll(async () => {
    orm = await openOrm(testServers().databaseUrl, { poolMax: 2 });
    connection = await connectTemporalClient({ address: testServers().temporalAddress });
  });
  afterAll(async () => {
    await connection.close();
    await orm.close();
  });

  it('is ready when PostgreSQL and Temporal answer', async () => {
    const app = await buildApp({ readiness: createReadinessChecks(orm, connection, testServers().namespace) });
    const response = await app.inject({ url: '/readyz' });
    await app.close();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', checks: { database: 'ok', temporal: 'ok' } });
  });

  it('names Temporal when its namespace is not there', async () => {
    const app = await buildApp({ readiness: createReadinessChecks(orm, connection, 'no-such-namespace') });
    const response = await app.inject({ url: '/readyz' });
    await app.close();
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ checks: { database: 'ok', temporal: 'failed' } });
    expect(response.json().detail).toMatch(/temporal/);
  });

  it('names the database when PostgreSQL refuses the login', async () => {
    const url = new URL(testServers().databaseUrl);
    url.password = 'wrong-password';
    const badOrm = await openOrm(url.toString(), { poolMax: 1 });
    try {
      const app = await buildApp({ readiness: createReadinessChecks(badOrm, connection, testServers().namespace) });
      const response = await app.inject({ url: '/readyz' });
      await app.close();
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ checks: { database: 'failed', temporal: 'ok' } });
      expect(response.json().detail).toMatch(/database/);
    } finally {
      await badOrm.close();
    }
  });

  it('names the worker when nothing polls the task queue', async () => {
    const app = await buildApp({
      readiness: createReadinessChecks(orm, connection, testServers().namespace, {
        taskQueue: `nobody-polls-${Date.now()}`,
      }),
    });
    const response = await app.inject({ url: '/readyz' });
    await app.close();
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ checks: { database: 'ok', temporal: 'ok', worker: 'failed' } });
    expect(response.json().detail).toMatch(
      /worker unreachable \(no worker polled workflow and activity tasks of nobody-polls-/,
    );
  });
});
