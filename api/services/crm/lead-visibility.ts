import { hasRight } from '../../../contracts/roles';
import type { Caller } from '../../caller';

/** Managers and admins see every lead; anyone else (a sales rep) only the leads they own. */
export function leadOwnerScope(caller: Caller): string | undefined {
  return hasRight(caller.roles, 'leads.see-all') ? undefined : caller.userId;
}
