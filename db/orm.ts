import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export type Orm = MikroORM;

export interface OrmOptions {
  /** Log every SQL statement (debugging only). */
  debug?: boolean;
  /** Pool size; the worker and the API each get their own ORM. */
  poolMax?: number;
}

export function createOrmOptions(databaseUrl: string, options: OrmOptions = {}): Options {
  return {
    clientUrl: databaseUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    debug: options.debug ?? false,
    pool: { min: 0, max: options.poolMax ?? 10 },
    // Schema changes happen only through migrations, never by discovery side effects.
    ensureDatabase: false,
    migrations: {
      migrationsList: MIGRATIONS,
      snapshot: false,
      snapshotOnMigrate: false,
      transactional: true,
      allOrNothing: true,
      silent: true,
    },
  };
}

export async function openOrm(databaseUrl: string, options: OrmOptions = {}): Promise<Orm> {
  return MikroORM.init(createOrmOptions(databaseUrl, options));
}

/** Applies pending migrations; returns the names it applied. */
export async function migrateDatabase(orm: Orm): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((m) => m.name);
}
