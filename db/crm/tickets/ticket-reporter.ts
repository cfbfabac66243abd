import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * The contact with this e-mail (any case) or phone, within the customer when one is given: who
 * reported a ticket. Raw SQL for the case-insensitive match on the `lower(email)` index.
 */
// TODO(merge): belongs to CustomerRepository (reads contacts).
export async function findReportingContact(
  em: EntityManager, by: { customerId?: string; email?: string; phone?: string },
): Promise<{ id: string; customerId: string } | null> {
  if (!by.email && !by.phone) return null;
  const [row] = await em.execute<{ id: string; customer_id: string }[]>(
    `select id, customer_id from contacts where (?::text is null or customer_id = ?::text)
       and ((?::text is not null and lower(email) = lower(?::text)) or (?::text is not null and phone = ?::text))
     order by is_primary desc, created_at limit 1`,
    [by.customerId ?? null, by.customerId ?? null, by.email ?? null, by.email ?? null, by.phone ?? null, by.phone ?? null],
  );
  return row ? { id: row.id, customerId: row.customer_id } : null;
}
