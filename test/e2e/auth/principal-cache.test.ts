import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
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

  it("keeps a manager's team in memory until a user is added, moved or changed elsewhere", async () => {
    const probe = `u-team-${randomUUID().slice(0, 8)}`;
    const newcomer = `u-team-${randomUUID().slice(0, 8)}`;
    const customerOf = async (ownerId: string) => {
      const created = await api.call('admin', {
        method: 'POST',
        url: '/api/v1/customers',
        payload: { name: `Team ${ownerId}`, locale: 'en', ownerId },
      });
      expect(created.statusCode).toBe(201);
      return (created.json() as { id: string }).id;
    };
    /** Whether the sales manager (region EU) sees the customer: whether its owner is in their team. */
    const managerSees = async (customerId: string) => {
      const page = await api.call('manager', { method: 'GET', url: '/api/v1/customers?limit=200' });
      expect(page.statusCode).toBe(200);
      return (page.json() as { items: { id: string }[] }).items.some((item) => item.id === customerId);
    };
    const addUser = (id: string, managerId: string | null) =>
      sql.query(
        `insert into engine_user (id, name, email, roles, attributes, manager_id, active)
         values ($1, $1, $1 || '@crm.example', array['sales-rep'], '{}', $2, true)`,
        [id, managerId],
      );

    await addUser(probe, null);
    await api.app.credentialChanges!.settle();
    const probeCustomer = await customerOf(probe);
    expect(await managerSees(probeCustomer)).toBe(false);
    // Moved into the team without a notification: the team kept in memory still leaves them out.
    await unreported(`update engine_user set manager_id = 'u-sales-manager' where id = '${probe}'`);
    await api.app.credentialChanges!.settle();
    expect(await managerSees(probeCustomer)).toBe(false);
    await sql.query(`select pg_notify('engine_credentials', 'user:${probe}')`);
    await api.app.credentialChanges!.settle();
    expect(await managerSees(probeCustomer)).toBe(true);
    // A plain update is reported by the trigger: out of the team again.
    await sql.query(`update engine_user set manager_id = null where id = $1`, [probe]);
    await api.app.credentialChanges!.settle();
    expect(await managerSees(probeCustomer)).toBe(false);
    // So is a new user (migration 20261234): one added with the manager joins the team at once.
    await addUser(newcomer, 'u-sales-manager');
    await api.app.credentialChanges!.settle();
    const newcomerCustomer = await customerOf(newcomer);
    expect(await managerSees(newcomerCustomer)).toBe(true);
    expect(await managerSees(probeCustomer)).toBe(false);
    // A region is a team too.
    await sql.query(`update engine_user set attributes = '{"region": "EU"}' where id = $1`, [probe]);
    await api.app.credentialChanges!.settle();
    expect(await managerSees(probeCustomer)).toBe(true);
    expect(await managerSees(newcomerCustomer)).toBe(true);
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
