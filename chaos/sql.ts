import { openOrm, type Orm } from '../db/orm';

/** A query as the database owner; `?` placeholders. */
export type Sql = <T = Record<string, unknown>>(query: string, params?: unknown[]) => Promise<T[]>;

/** The runner's own connection to the product's database, for finding work to act on and for the audit. */
export async function openSql(ownerUrl: string): Promise<{ sql: Sql; close(): Promise<void> }> {
  const orm: Orm = await openOrm(ownerUrl, { poolMax: 4 });
  return {
    sql: (query, params = []) => orm.em.getConnection().execute(query, params as unknown[]),
    close: () => orm.close(),
  };
}
