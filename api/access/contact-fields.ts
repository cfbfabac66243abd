import { refusalOf } from '../plugins/auth';
import type { Principal } from '../principal';

/**
 * A record as the principal may see it (a system key also needs `contacts` in its read scope; the schemas mark these fields optional, "omitted for roles
 * without contacts.read"): without `contacts.read` (finance, warehouse, …) its
 * e-mail and phone are left out of the answer, not nulled, so "not shown" never reads as "none".
 */
export function withoutContactFields<T extends { email?: unknown; phone?: unknown }>(
  principal: Principal,
  record: T,
): T {
  if (refusalOf(principal, 'contacts.read') === null) return record;
  const { email: _email, phone: _phone, ...rest } = record;
  return rest as T;
}
