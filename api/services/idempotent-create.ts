import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ClaimedEvent, IdempotencyKeyRepository } from '../../db/repositories';
import type { Orm } from '../../db/orm';
import type { Principal } from '../principal';
import { ProblemError } from '../problem-error';

export interface IdempotentCreateDeps {
  orm: Orm;
  idempotency: IdempotencyKeyRepository;
}

/** A created record: its id, and the business event it raised (dispatched after the commit), if any. */
export interface CreatedRecord {
  id: string;
  eventId: string | null;
  /**
   * The event as its insert claimed it for this process's dispatcher (raiseProcessEvent's
   * `claimForDispatch`), so dispatching it after the commit takes no claim of its own; absent on a
   * replay and when another request raised the event first.
   */
  claimedEvent?: ClaimedEvent | null;
}

/**
 * A create run at most once per caller and key. `Created` is what `create` returns: the record's id
 * and event, and whatever else the answer takes from a record this request created (a replay has
 * only what `replay` returns).
 */
export interface CreateRequest<Created extends CreatedRecord = CreatedRecord> {
  /** The kind of record created (`leads`, `orders`, …): a key is the caller's per scope. */
  scope: string;
  principal: Principal;
  idempotencyKey: string | undefined;
  /** Everything the outcome depends on (the validated body, options in the query): the key is bound to it. */
  request: unknown;
  /** Creates the record in the given transaction; nothing outside it, so a rollback leaves no trace. */
  create(em: EntityManager): Promise<Created>;
  /** The answer for a record an earlier request with the key created. */
  replay(resourceId: string): Promise<CreatedRecord>;
}

export interface CreateOutcome<Created extends CreatedRecord = CreatedRecord> {
  /** What `create` returned, or on a replay what `replay` did. */
  result: Created | CreatedRecord;
  /** False when an earlier request with the same Idempotency-Key created it: answer 200, not 201. */
  created: boolean;
}

/**
 * Runs a create at most once per caller and Idempotency-Key. The key row is written first in the
 * record's own transaction, so a request cut off after its commit is found by its retry, and of
 * requests racing with one key the others wait on that row and then answer with the winner's record.
 * A create that fails rolls its key back: the retry runs again (and fails the same way).
 */
export async function createIdempotently<Created extends CreatedRecord>(
  deps: IdempotentCreateDeps,
  request: CreateRequest<Created>,
): Promise<CreateOutcome<Created>> {
  const key = request.idempotencyKey;
  if (key === undefined) {
    return { result: await deps.orm.em.fork().transactional((em) => request.create(em)), created: true };
  }
  const caller = request.principal.userId;
  const requestHash = createRequestHash(request.scope, request.request);
  const earlier = await deps.idempotency.findCreate(deps.orm.em.fork(), caller, request.scope, key);
  if (earlier) return { result: await replay(request, earlier, requestHash), created: false };
  const result = await deps.orm.em.fork().transactional(async (em) => {
    if (!(await deps.idempotency.reserveCreate(em, caller, request.scope, key, requestHash))) return null;
    const created = await request.create(em);
    await deps.idempotency.bindCreate(em, caller, request.scope, key, created.id);
    return created;
  });
  if (result) return { result, created: true };
  const winner = await deps.idempotency.findCreate(deps.orm.em.fork(), caller, request.scope, key);
  if (!winner) {
    // Committed and gone between the two reads: only a key removed by hand gets here.
    throw new ProblemError({
      status: 409,
      type: 'idempotency-key-in-use',
      title: 'Conflict',
      detail: `Idempotency-Key '${key}' is in use by another request; retry it.`,
    });
  }
  return { result: await replay(request, winner, requestHash), created: false };
}

async function replay(
  request: CreateRequest<CreatedRecord>,
  earlier: { requestHash: string; resourceId: string },
  requestHash: string,
): Promise<CreatedRecord> {
  if (earlier.requestHash !== requestHash) {
    throw new ProblemError({
      status: 409,
      type: 'idempotency-key-reused',
      title: 'Conflict',
      detail: `Idempotency-Key '${request.idempotencyKey ?? ''}' was already used with a different request body.`,
      extensions: { resourceId: earlier.resourceId },
    });
  }
  return request.replay(earlier.resourceId);
}

/** What a key is bound to: the scope and the request, its object members in a fixed order. */
export function createRequestHash(scope: string, request: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([scope, request], (_key, value: unknown) => sortedMembers(value)))
    .digest('hex');
}

function sortedMembers(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
