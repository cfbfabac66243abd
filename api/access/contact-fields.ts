import { refusalOf } from '../plugins/auth';
import type { Principal } from '../principal';

/**
 * A record as the principal may see it: without `contacts.read` (finance, warehouse, …; a system
 * key also needs `contacts` in its read scope) the contact fields — by default e-mail and phone;
 * an invitation's address, a ticket's reporter — are left out of the answer, not nulled, so "not
 * shown" never reads as "none". The schemas mark these fields optional, "omitted for roles without
 * contacts.read".
 */
export function withoutContactFields<T extends object>(
  principal: Principal,
  record: T,
  fields: readonly (keyof T & string)[] = ['email', 'phone'] as (keyof T & string)[],
): T {
  if (refusalOf(principal, 'contacts.read') === null) return record;
  const shown = { ...record };
  for (const field of fields) delete shown[field];
  return shown;
}
