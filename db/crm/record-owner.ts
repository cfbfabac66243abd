import type { EntityManager } from '@mikro-orm/postgresql';

/** The CRM records a process input can name, by the table each lives in. */
const RECORD_TABLES = {
  leads: { table: 'leads', owned: true },
  quotes: { table: 'quotes', owned: true },
  orders: { table: 'orders', owned: true },
  customers: { table: 'customers', owned: true },
  tickets: { table: 'tickets', owned: false },
} as const;

export type NamedRecords = keyof typeof RECORD_TABLES;

/**
 * Whether a record exists and who owns it (null for unowned kinds and unassigned records): what
 * an access check needs, without loading an aggregate for it.
 */
export async function findRecordOwner(
  em: EntityManager,
  records: NamedRecords,
  id: string,
): Promise<{ ownerId: string | null } | null> {
  const { table, owned } = RECORD_TABLES[records];
  const [row] = await em.execute<{ owner_id: string | null }[]>(
    `select ${owned ? 'owner_id' : 'null as owner_id'} from ${table} where id = ?`,
    [id],
  );
  return row ? { ownerId: row.owner_id } : null;
}
