import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { startApiHarness, type ApiHarness } from '../../support/api-harness';
import { eventuallyPasses } from '../../support/eventually';
import { testServers } from '../../support/test-env';

/**
 * The API keeps principals in memory (api/services/principal-cache.ts) and forgets them when
 * PostgreSQL reports a change of their user, key or session, made by anyone.
 */
describe('principal cache', () => {
  let api: ApiHarness;
  let sql: pg.Client;
  beforeAll(async () => {
    api = await startApiHarness();
    sql = new pg.Client({ connectionString: testServers().databaseUrl });
    await sql.connect();
  });
  afterAll(async () => {
    await sql?.end();
    await api.close();
  });

  const rolesOfRep = async () => {
    const me = await api.call('rep', { method: 'GET', url: '/api/v1/me' });
    expect(me.statusCode).toBe(200);
    return (me.json() as { roles: string[] }).roles;
  };
  /** A change no trigger reports: what the API answers then shows whether it read the database. */
  const unreported = async (statement: string) => {
    await sql.query('begin');
    await sql.query('set local session_replication_role = replica');
    await sql.query(statement);
    await sql.query('commit');
  };
  const listening = async () => {
    const { rows } = await sql.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [
      `credential-changes ${process.pid}`,
    ]);
    return rows.map((row) => row.pid);
  };

  it('serves a principal from memory until a change of its user is reported', async () => {
    await eventuallyPasses(async () => expect((await listening()).length).toBeGreaterThan(0), 'the API listens');
    expect(await rolesOfRep()).toEqual(['sales-rep']);
    await unreported(`update engine_user set roles = array['sales-rep', 'finance'] where id = 'u-sales-rep'`);
    await api.app.credentialChanges!.settle();
    expect(await rolesOfRep()).toEqual(['sales-rep']);
    await sql.query(`select pg_notify('engine_credentials', 'user:u-sales-rep')`);
    await api.app.credentialChanges!.settle();
    expect(await rolesOfRep()).toEqual(['sales-rep', 'finance']);
    // A plain update is reported by the trigger.
    await sql.query(`update engine_user set roles = array['sales-rep'] where id = 'u-sales-rep'`);
    await api.app.credentialChanges!.settle();
    expect(await rolesOfRep()).toEqual(['sales-rep']);
  });

  it('refuses a key revoked, a user deactivated or a right removed elsewhere once the change is reported', async () => {
    expect((await api.call('rep', { method: 'GET', url: '/api/v1/customers' })).statusCode).toBe(200);
    await sql.query(`update engine_user set roles = array['warehouse'] where id = 'u-sales-rep'`);
    await api.app.credentialChanges!.settle();
    expect((await api.call('rep', { method: 'GET', url: '/api/v1/customers' })).statusCode).toBe(403);
    await sql.query(`update engine_user set roles = array['sales-rep'], active = false where id = 'u-sales-rep'`);
    await api.app.credentialChanges!.settle();
    expect((await api.call('rep', { method: 'GET', url: '/api/v1/customers' })).statusCode).toBe(401);
    await sql.query(`update engine_user set active = true where id = 'u-sales-rep'`);
    await api.app.credentialChanges!.settle();
    expect((await api.call('rep', { method: 'GET', url: '/api/v1/customers' })).statusCode).toBe(200);
    await sql.query(`update api_key set revoked_at = now() where user_id = 'u-sales-rep'`);
    await api.app.credentialChanges!.settle();
    expect((await api.call('rep', { method: 'GET', url: '/api/v1/customers' })).statusCode).toBe(401);
    await sql.query(`update api_key set revoked_at = null where user_id = 'u-sales-rep'`);
    await api.app.credentialChanges!.settle();
    expect((await api.call('rep', { method: 'GET', url: '/api/v1/customers' })).statusCode).toBe(200);
  });

  it('forgets everything when the notifications are lost, and keeps nothing until they are heard again', async () => {
    expect(await rolesOfRep()).toEqual(['sales-rep']);
    const [before] = await listening();
    expect(before).toEqual(expect.any(Number));
    await sql.query('select pg_terminate_backend($1)', [before]);
    // The loss is noticed at once (PostgreSQL says it is terminating the connection): a change the
    // listener cannot hear is read from the database, not served from memory.
    await unreported(`update engine_user set roles = array['sales-rep', 'finance'] where id = 'u-sales-rep'`);
    await eventuallyPasses(
      async () => expect(await rolesOfRep()).toEqual(['sales-rep', 'finance']),
      'the change is seen',
    );
    await eventuallyPasses(
      async () => expect((await listening()).filter((pid) => pid !== before).length).toBe(1),
      'the API listens again',
    );
    await unreported(`update engine_user set roles = array['sales-rep'] where id = 'u-sales-rep'`);
    // Reconnected: the cache starts empty, so the first read after it sees the unreported change.
    expect(await rolesOfRep()).toEqual(['sales-rep']);
  });
});
