import { randomUUID } from 'node:crypto';
import { MIGRATIONS } from '../../db/migrations';
import { openOrm } from '../../db/orm';
import { testServers } from './test-env';

export interface ScratchDatabase {
  /** Connection URL of the new, empty database, as its owner (migrations). */
  url: string;
  /** The same database as the application role (usable once migrated: the migration grants it). */
  appUrl: string;
  drop(): Promise<void>;
}

/** An empty database of its own on the shared PostgreSQL, for tests of migrations themselves. */
export async function createScratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomUUID().replace(/-/g, '')}`;
  const admin = await openOrm(testServers().databaseUrl, { poolMax: 1 });
  await admin.em.getConnection().execute(`create database "${name}"`);
  const url = new URL(testServers().databaseUrl);
  url.pathname = `/${name}`;
  const appUrl = new URL(testServers().appDatabaseUrl);
  appUrl.pathname = `/${name}`;
  return {
    url: url.toString(),
    appUrl: appUrl.toString(),
    drop: async () => {
      await admin.em.getConnection().execute(`drop database if exists "${name}" with (force)`);
      await admin.close();
    },
  };
}

/** Public tables of a database, without MikroORM's bookkeeping table. */
export const LIST_TABLES_SQL =
  "select table_name from information_schema.tables where table_schema = 'public' and table_name <> 'mikro_orm_migrations' order by table_name";

/**
 * The names of migration `name` and of every migration after it: what migrating up applies again
 * after a test took the database down to the one before `name`.
 */
export function migrationsFrom(name: string): string[] {
  const names = MIGRATIONS.map((migration) => migration.name);
  const at = names.indexOf(name);
  if (at < 0) throw new Error(`no migration named ${name}`);
  return names.slice(at);
}
