import type { EntityManager } from '@mikro-orm/postgresql';

export type ReferencedTable = 'customers' | 'products' | 'warehouses' | 'engine_user' | 'opportunities' | 'quotes' | 'leads';

/** The ids among `ids` that exist in `table` (a CRM table keyed by `id`). */
export async function existingIds(em: EntityManager, table: ReferencedTable, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await em.execute<{ id: string }[]>(`select id from ${table} where id in (?)`, [[...new Set(ids)]]);
  return new Set(rows.map((r) => r.id));
}
