import type { EngineContext } from '../engine-deps';
import { forbidden } from '../plugins/auth';
import type { Principal } from '../principal';
import { ownerScopeOf, scopeIncludes, type OwnedRecords, type OwnerScope } from './record-scope';

/**
 * How the sales routes apply a principal's owner scope (record-scope.ts) to the records they
 * serve: lists filter in the query, a record outside the scope is answered like a missing one,
 * and a record is given to another owner only within the scope.
 */
export function scopeOf(ctx: EngineContext, principal: Principal, records: OwnedRecords): Promise<OwnerScope> {
  return ownerScopeOf(principal, records, ctx.users, ctx.orm.em.fork());
}

/** The `ownerIds` filter of a repository's list: undefined (every record) for a reader who sees all. */
export function ownerIdsOf(scope: OwnerScope): readonly string[] | undefined {
  return scope.kind === 'all' ? undefined : scope.ownerIds;
}

/**
 * A record the principal may not see answers exactly as a missing one (`notFound` builds that
 * answer), so a guessed id tells nothing about what exists.
 */
export function assertVisible(
  scope: OwnerScope,
  record: { owner?: { id: string } | null } | null,
  notFound: () => Error,
): asserts record is NonNullable<typeof record> {
  if (!record || !scopeIncludes(scope, record.owner?.id)) throw notFound();
}

/**
 * Giving a record to `ownerId` (creating it for them, or moving it to them) stays within the
 * scope: a rep only to themself, a manager within the team, see-all holders to anyone. A 403:
 * the record itself is one the caller may see.
 */
export function assertMayAssignTo(scope: OwnerScope, ownerId: string, records: OwnedRecords): void {
  if (!scopeIncludes(scope, ownerId)) {
    throw forbidden(`You may not give ${records} to '${ownerId}': only to people whose ${records} you may see.`);
  }
}
