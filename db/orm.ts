import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { AuditSubscriber } from './audit/audit-subscriber';
import { disablePreparedReads } from './repositories/prepared-read';

export type Orm = MikroORM;

export interface OrmOptions {
  /** Log every SQL statement (debugging only). */
  debug?: boolean;
  /** Pool size; the worker and the API each get their own ORM. */
  poolMax?: number;
  /**
   * How long a query waits for a connection (a new one, or a free one of the pool) before it fails;
   * pg's default waits forever, which turned an unreachable database into requests that never end.
   */
  connectTimeoutMs?: number;
  /** false: list pages are sent with their values inlined, never prepared (DATABASE_PREPARED_STATEMENTS). */
  preparedStatements?: boolean;
}

const CONNECT_TIMEOUT_MS = 10_000;

export function createOrmOptions(databaseUrl: string, options: OrmOptions = {}): Options {
  return {
    clientUrl: databaseUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    // Every change the unit of work flushes is recorded in audit_log, in the flush's transaction.
    subscribers: [new AuditSubscriber()],
    debug: options.debug ?? false,
    pool: { min: 0, max: options.poolMax ?? 10 },
    driverOptions: { connectionTimeoutMillis: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS },
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
  const orm = await MikroORM.init(createOrmOptions(databaseUrl, options));
  if (options.preparedStatements === false) disablePreparedReads(orm);
  return orm;
}

// Any constant works; it only has to be the same for every process migrating this database.
export const MIGRATION_LOCK_ID = 7_233_001;

/**
 * Applies pending migrations in one transaction that first takes an advisory lock, so
 * several workers starting at once (compose `--scale worker=3`) migrate exactly once.
 * Returns the names it applied.
 */
export async function migrateDatabase(orm: Orm): Promise<string[]> {
  return orm.em.fork().transactional(async (em) => {
    await em
      .getConnection()
      .execute('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK_ID], 'all', em.getTransactionContext());
    const applied = await orm.migrator.up({ transaction: em.getTransactionContext() });
    return applied.map((m) => m.name);
  });
}
