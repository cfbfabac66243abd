import type { EntityManager } from '@mikro-orm/postgresql';
import { hasRight, type Right } from '../../contracts/roles';
import type { UserRepository } from '../../db/users/user.repository';
import type { Principal } from '../principal';

/** Records that belong to a person (their `ownerId`): reps see their own, managers their team's. */
export type OwnedRecords = 'customers' | 'leads' | 'opportunities' | 'quotes' | 'orders';

/**
 * Which owners' records a principal may see or change: every record, or those whose owner is one
 * of `ownerIds` (records with no owner are then out of reach too).
 */
export type OwnerScope = { kind: 'all' } | { kind: 'owners'; ownerIds: readonly string[] };

/**
 * The principal's scope over one kind of owned record: `<records>.see-all` sees everything,
 * `<records>.see-team` the records of the team (the principal, the people whose manager they are
 * and, when the principal has a region, the people of that region), anyone else their own.
 */
export async function ownerScopeOf(
  principal: Principal,
  records: OwnedRecords,
  users: UserRepository,
  em: EntityManager,
): Promise<OwnerScope> {
  if (hasRight(principal.roles, `${records}.see-all` as Right)) return { kind: 'all' };
  if (hasRight(principal.roles, `${records}.see-team` as Right)) {
    return { kind: 'owners', ownerIds: await teamIdsOf(principal, users, em) };
  }
  return { kind: 'owners', ownerIds: [principal.userId] };
}

/** The team the principal leads: themself, the people whose manager they are and, with a region, its people. */
export function teamIdsOf(principal: Principal, users: UserRepository, em: EntityManager): Promise<string[]> {
  const region = typeof principal.attributes['region'] === 'string' ? principal.attributes['region'] : null;
  return users.listTeamIds(em, principal.userId, region);
}

export function scopeIncludes(scope: OwnerScope, ownerId: string | null | undefined): boolean {
  return scope.kind === 'all' || (ownerId != null && scope.ownerIds.includes(ownerId));
}
