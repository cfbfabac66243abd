import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MIGRATIONS } from '../../../../db/migrations';
import { migrateDatabase, openOrm, type Orm } from '../../../../db/orm';
import { createScratchDatabase, LIST_TABLES_SQL, type ScratchDatabase } from '../../../support/scratch-database';

const ENGINE_TABLES = [
  'engine_user',
  'idempotency_key',
  'process_instance',
  'task',
  'task_event',
  'template_draft',
  'template_version',
  'timeline_entry',
];

/** The engine migration on a database of its own: down removes exactly what up added. */
describe('Migration20261126000000_engine', () => {
  let scratch: ScratchDatabase;
  let orm: Orm;
  beforeAll(async () => {
    scratch = await createScratchDatabase('engine_migration');
    orm = await openOrm(scratch.url, { poolMax: 2 });
  });
  afterAll(async () => {
    await orm.close();
    await scratch.drop();
  });

  const tables = async () =>
    (await orm.em.getConnection().execute<{ table_name: string }[]>(LIST_TABLES_SQL)).map((t) => t.table_name);
  const functions = async () =>
    (
      await orm.em
        .getConnection()
        .execute<{ proname: string }[]>("select proname from pg_proc where proname = 'engine_attributes_match'")
    ).length;

  it('creates the engine tables and the attribute matcher, and rolls them back', async () => {
    expect(await migrateDatabase(orm)).toContain('Migration20261126000000_engine');
    // Later migrations (the CRM tables) add more; each checks its own tables exactly.
    expect(await tables()).toEqual(expect.arrayContaining(['audit_log', ...ENGINE_TABLES, 'mail_outbox']));
    expect(await functions()).toBe(1);

    await orm.migrator.down({ to: 'Migration20261124000000_base' });
    expect(await tables()).toEqual(['audit_log', 'mail_outbox']);
    expect(await functions()).toBe(0);
    expect(await migrateDatabase(orm)).toEqual(MIGRATIONS.slice(1).map((m) => m.name));
  });
});
