import type { EntityManager } from '@mikro-orm/postgresql';
import { scopeAllows } from '../../contracts/api-key-scopes';
import { hasRight, mayStartTemplate, type Right } from '../../contracts/roles';
import type { InstanceReach, RecordReach } from '../../db/repositories';
import type { UserRepository } from '../../db/users/user.repository';
import { forbidden, refusalOf } from '../plugins/auth';
import type { Principal } from '../principal';
import { ownerScopeOf, type OwnedRecords } from './record-scope';

/**
 * Who may start a template by POST /instances: people by the template's own `startableBy` roles
 * when it names some, else by the built-in defaults of contracts/roles.ts (TEMPLATE_STARTERS);
 * holders of `instances.start-any` always. A system key needs the template in its scope too.
 */
export function assertMayStartTemplate(
  principal: Principal,
  templateKey: string,
  startableBy: readonly string[] | undefined,
): void {
  const byRole =
    startableBy === undefined
      ? mayStartTemplate(principal.roles, templateKey)
      : hasRight(principal.roles, 'instances.start-any') || principal.roles.some((role) => startableBy.includes(role));
  const allowed = byRole || (principal.kind === 'system' && principal.roles.includes('system'));
  if (!allowed || (principal.kind === 'system' && !scopeAllows(principal.scopes.templates, templateKey))) {
    throw forbidden(`You may not start the template '${templateKey}'.`);
  }
}

/** A system key sends only the events its scope names (people need the route's right, checked before). */
export function assertMaySendEvent(principal: Principal, event: string): void {
  if (principal.kind === 'system' && !scopeAllows(principal.scopes.events, event)) {
    throw forbidden(`This API key's scope does not include sending '${event}'.`);
  }
}

/** Whether the principal may read records of a kind at all (its right, and a key's `read` scope). */
export function mayReadRecords(principal: Principal, records: string): boolean {
  return refusalOf(principal, `${records}.read` as Right) === null;
}

async function ownedReach(
  principal: Principal,
  records: OwnedRecords,
  users: UserRepository,
  em: EntityManager,
): Promise<RecordReach> {
  if (!mayReadRecords(principal, records)) return 'none';
  const scope = await ownerScopeOf(principal, records, users, em);
  return scope.kind === 'all' ? 'all' : { ownerIds: scope.ownerIds };
}

/**
 * The instances the principal may see, for the instance repository; undefined for holders of
 * `instances.see-all`, who see every one. Others see the instances they started, those with a
 * task of theirs, and those of the business records they may see (a child through its parent).
 */
export async function instanceReachOf(
  principal: Principal,
  users: UserRepository,
  em: EntityManager,
): Promise<InstanceReach | undefined> {
  if (hasRight(principal.roles, 'instances.see-all')) return undefined;
  return {
    userId: principal.userId,
    leads: await ownedReach(principal, 'leads', users, em),
    quotes: await ownedReach(principal, 'quotes', users, em),
    orders: await ownedReach(principal, 'orders', users, em),
    tickets: mayReadRecords(principal, 'tickets') ? 'all' : 'none',
    invitations: mayReadRecords(principal, 'surveys') ? 'all' : 'none',
  };
}
