import type { Caller } from '../../caller';

const SEE_ALL_ROLES = ['admin', 'manager', 'sales-manager'];

/** Managers and admins see every lead; anyone else (a sales rep) only the leads they own. */
export function leadOwnerScope(caller: Caller): string | undefined {
  return SEE_ALL_ROLES.some((role) => caller.roles.includes(role)) ? undefined : caller.userId;
}
