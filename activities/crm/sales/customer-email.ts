import type { EntityManager } from '@mikro-orm/postgresql';

/** Where mail to a customer goes: the primary contact's address, else any contact's. */
export async function findCustomerEmail(em: EntityManager, customerId: string): Promise<string | null> {
  const rows = await em.execute<{ email: string }[]>(
    `select email from contacts where customer_id = ? and email is not null and email <> ''
     order by is_primary desc, created_at, id limit 1`,
    [customerId],
  );
  return rows[0]?.email ?? null;
}
