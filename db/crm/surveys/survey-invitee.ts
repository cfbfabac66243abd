import type { EntityManager } from '@mikro-orm/postgresql';
import { Customer } from '../customers/customer.entity';

/** The customer a survey invitation goes to: the name and locale its mails are written with. */
// TODO(merge): belongs to CustomerRepository (reads customers).
export async function findInvitedCustomer(em: EntityManager, customerId: string): Promise<{ id: string; name: string; locale: string } | null> {
  const customer = await em.findOne(Customer, customerId, { fields: ['id', 'name', 'locale'] });
  return customer && { id: customer.id, name: customer.name, locale: customer.locale };
}

/**
 * The customer's contact an invitation was sent to (the primary one first when two share the
 * address): the contact of a follow-up ticket. Raw SQL for the case-insensitive e-mail match.
 */
// TODO(merge): belongs to CustomerRepository (reads contacts).
export async function findInvitedContactId(em: EntityManager, customerId: string, email: string): Promise<string | null> {
  const [contact] = await em.execute<{ id: string }[]>(
    'select id from contacts where customer_id = ? and lower(email) = lower(?) order by is_primary desc, id limit 1',
    [customerId, email],
  );
  return contact?.id ?? null;
}
