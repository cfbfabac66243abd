import type { EntityManager, EntityName } from '@mikro-orm/postgresql';
import { EngineUser } from '../users/user.entity';
import { Product } from './catalogue/catalogue.entity';
import { Customer } from './customers/customer.entity';
import { Lead, Opportunity } from './leads/lead.entity';
import { Warehouse } from './orders/inventory.entity';
import { Quote } from './quotes/quote.entity';

/** The records a request may refer to by id, by the table the API names them after. */
const REFERENCED = {
  customers: Customer,
  products: Product,
  warehouses: Warehouse,
  engine_user: EngineUser,
  opportunities: Opportunity,
  quotes: Quote,
  leads: Lead,
} satisfies Record<string, EntityName<{ id: string }>>;

export type ReferencedTable = keyof typeof REFERENCED;

/** Tables whose records have an owner (`owner_id`): a reference to them can be limited to some owners. */
export type OwnedTable = 'customers' | 'opportunities' | 'quotes' | 'leads';

/**
 * The ids among `ids` that exist in `table`: a read of ids only (every CRM record is keyed by a
 * text `id`), so one request can name every unknown reference at once. With `ownerIds` (a reader's
 * scope), a record owned by none of them counts as not there.
 */
export async function existingIds(
  em: EntityManager,
  table: ReferencedTable,
  ids: readonly string[],
  ownerIds?: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const entity = REFERENCED[table] as EntityName<{ id: string; owner?: unknown }>;
  const where = { id: { $in: [...new Set(ids)] }, ...(ownerIds ? { owner: { $in: [...ownerIds] } } : {}) };
  const rows = await em.find(entity, where, { fields: ['id'] });
  return new Set(rows.map((row) => row.id));
}
