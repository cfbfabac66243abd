import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openOrm, migrateDatabase } from '../../../../db/orm';
import { MIGRATIONS } from '../../../../db/migrations';
import { createScratchDatabase, type ScratchDatabase } from '../../../support/scratch-database';

/** Migrations on a database of their own: concurrent starts migrate once; down undoes up. */
describe('migrations', () => {
  let scratch: ScratchDatabase;
  let url: string;
  beforeAll(async () => {
    scratch = await createScratchDatabase('migrations');
    url = scratch.url;
  });
  afterAll(async () => {
    await scratch.drop();
  });

  it('applies every migration exactly once when three processes start together', async () => {
    const orms = await Promise.all([openOrm(url), openOrm(url), openOrm(url)]);
    try {
      const applied = await Promise.all(orms.map((orm) => migrateDatabase(orm)));
      expect(applied.flat().sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
      const tables = await orms[0]!.em
        .getConnection()
        .execute<{ table_name: string }[]>(
          "select table_name from information_schema.tables where table_schema = 'public' order by table_name",
        );
      expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['audit_log', 'mail_outbox']));
      expect(await migrateDatabase(orms[0]!)).toEqual([]);
    } finally {
      await Promise.all(orms.map((orm) => orm.close()));
    }
  });

  it('rolls every migration back', async () => {
    const orm = await openOrm(url);
    try {
      await migrateDatabase(orm);
      await orm.migrator.down({ to: 0 });
      const tables = await orm.em
        .getConnection()
        .execute(
          "select table_name from information_schema.tables where table_schema = 'public' and table_name in ('audit_log', 'mail_outbox')",
        );
      expect(tables).toEqual([]);
    } finally {
      await orm.close();
    }
  });
});
