import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { migrateDatabase, openOrm, type Orm } from '../../../db/orm';
import { testServers } from '../../support/test-env';

const ENGINE_TABLES = ['engine_user', 'idempotency_key', 'process_instance', 'task', 'task_event', 'template_draft', 'template_version', 'timeline_entry'];

/** The engine migration on a database of its own: down removes exactly what up added. */
describe('Migration20261126000000_engine', () => {
  const name = `engine_migration_${randomUUID().replace(/-/g, '')}`;
  let admin: Orm;
  let orm: Orm;
  beforeAll(async () => {
    admin = await openOrm(testServers().databaseUrl, { poolMax: 1 });
    await admin.em.getConnection().execute(`create database "${name}"`);
    const url = new URL(testServers().databaseUrl);
    url.pathname = `/${name}`;
    orm = await openOrm(url.toString(), { poolMax: 2 });
  });
  afterAll(async () => {
    await orm.close();
    await admin.em.getConnection().execute(`drop database if exists "${name}" with (force)`);
    await admin.close();
  });

  const tables = async () => (await orm.em.getConnection().execute<{ table_name: string }[]>(
    "select table_name from information_schema.tables where table_schema = 'public' and table_name <> 'mikro_orm_migrations' order by table_name",
  )).map((t) => t.table_name);
  const functions = async () => (await orm.em.getConnection().execute<{ proname: string }[]>(
    "select proname from pg_proc where proname = 'engine_attributes_match'",
  )).length;

  it('creates the engine tables and the attribute matcher, and rolls them back', async () => {
    expect(await migrateDatabase(orm)).toContain('Migration20261126000000_engine');
    // Later migrations (the CRM tables) add more; each checks its own tables exactly.
    expect(await tables()).toEqual(expect.arrayContaining(['audit_log', ...ENGINE_TABLES, 'mail_outbox']));
    expect(await functions()).toBe(1);

    await orm.migrator.down({ to: 'Migration20261124000000_base' });
    expect(await tables()).toEqual(['audit_log', 'mail_outbox']);
    expect(await functions()).toBe(0);
    expect(await migrateDatabase(orm)).toEqual(['Migration20261126000000_engine', 'Migration20261201000000_crm']);
  });
});
