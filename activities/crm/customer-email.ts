import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * The e-mail a customer is reached at: the preferred contact if it has one, else the primary
 * contact, else the oldest contact with an address; null when no contact has one.
 */
export async function customerEmail(em: EntityManager, customerId: string | null, preferredContactId: string | null = null): Promise<string | null> {
  if (customerId === null && preferredContactId === null) return null;
  const rows = await em.execute<{ email: string }[]>(
    `select email from contacts
      where email is not null and email <> '' and (customer_id = ? or id = ?)
      order by coalesce(id = ?, false) desc, is_primary desc, created_at, id limit 1`,
    [customerId, preferredContactId, preferredContactId],
  );
  return rows[0]?.email ?? null;
}
