import { raw, sql, type EntityManager } from '@mikro-orm/postgresql';
import { Customer } from '../customers/customer.entity';

/*
 * What the order aggregate reads and writes of other aggregates' records, in one place until their
 * repositories exist on this branch. Each function names the repository it moves to.
 */

// TODO(merge): belongs to CustomerRepository
export function findOrderCustomer(em: EntityManager, customerId: string): Promise<Customer | null> {
  return em.findOne(Customer, customerId);
}

// TODO(merge): belongs to CustomerRepository
/**
 * Adds delivered units to what the customer has bought: relative to the stored value in one
 * statement, so two deliveries of the same customer at once both count.
 */
export async function addPurchasedVolume(em: EntityManager, customerId: string, units: number): Promise<void> {
  await em.nativeUpdate(Customer, customerId, { purchasedVolume: raw('purchased_volume + ?', [units]), updatedAt: sql.now() });
}

