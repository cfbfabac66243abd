import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Json } from '../../dsl/plan';
import type { TriggerEvent, TriggerPayload } from '../../dsl/trigger-events';
import { Context } from '@temporalio/activity';
import { RaisedEvent } from '../entities';
import { NEWEST_VERSIONS_SQL, newestVersionsOf, type NewestVersionsJson } from './template-registry';

export interface RaiseEventOptions {
  /** With the event name, what makes two raises the same event; defaults to the payload's first value. */
  dedupeKey: string;
  /** Who raised it: a user id, or `activity:<name>` for a process step. */
  raisedBy: string;
  /**
   * The task queue the started instances run on. Defaults to the queue of the activity raising it
   * (so an event raised by a process runs where that process runs), else the dispatcher's own.
   */
  taskQueue?: string;
  /**
   * Inserted already claimed (a lease, as claimRaisedEvent takes) for the caller's own dispatcher,
   * which starts it right after the commit (TriggerDispatcher.dispatchInBackground): the claim is
   * then part of the insert, not a statement of its own after the commit. Needs `taskQueue`. A
   * process that dies before it starts the event leaves it to the poller once the lease ends
   * (CLAIM_LEASE_SECONDS), as it would had it died after a separate claim.
   */
  claimForDispatch?: boolean;
}

/** A raised event: its id, whether this call inserted it, and the claim on it when it asked for one. */
export interface RaisedEventRef {
  id: string;
  created: boolean;
  /** Set when `claimForDispatch` was asked and this call inserted the event. */
  claimed: ClaimedEvent | null;
}

/**
 * Records a business event in the trigger outbox. Call it inside the transaction that writes the
 * record the event is about, so both commit or neither does. Raising the same event and dedupe key
 * again returns the first event's id and writes nothing.
 */
export async function raiseProcessEvent<E extends TriggerEvent>(
  em: EntityManager,
  event: E,
  payload: TriggerPayload<E>,
  options: RaiseEventOptions,
): Promise<RaisedEventRef> {
  const id = `evt-${randomUUID()}`;
  const claim = options.claimForDispatch === true;
  if (claim && options.taskQueue === undefined) throw new Error("claimForDispatch needs the dispatcher's taskQueue");
  const inserted = await em.execute<ClaimedRow[]>(
    `insert into process_event as e (id, event, dedupe_key, payload, raised_by, task_queue, created_at${claim ? ', attempts, claimed_until' : ''})
     values (?, ?, ?, ?, ?, ?, now()${claim ? ', 1, now() + make_interval(secs => ?)' : ''})
     on conflict (event, dedupe_key) do nothing
     returning ${CLAIMED_COLUMNS}${claim ? `, ${NEWEST_VERSIONS_SQL} as newest_versions` : ''}`,
    [
      id,
      event,
      options.dedupeKey,
      JSON.stringify(payload as Json),
      options.raisedBy,
      options.taskQueue ?? currentActivityTaskQueue(),
      ...(claim ? [CLAIM_LEASE_SECONDS] : []),
    ],
  );
  if (inserted[0]) return { id, created: true, claimed: claim ? toClaimed(inserted[0]) : null };
  const existing = await em.execute<{ id: string }[]>(
    'select id from process_event where event = ? and dedupe_key = ?',
    [event, options.dedupeKey],
  );
  return { id: existing[0]!.id, created: false, claimed: null };
}

/** An event a dispatcher has claimed: what starting its bound templates needs. */
export interface ClaimedEvent {
  id: string;
  event: string;
  dedupeKey: string;
  payload: Record<string, Json>;
  raisedBy: string;
  createdAt: Date;
  /**
   * The newest published version of every template as the claim read them, when it did (a claim
   * taken by the event's insert): planning the event then reads no versions of its own.
   */
  newestVersions?: ReadonlyMap<string, number>;
}

// A claim outlives any start that still makes progress; a dispatcher that died mid-start leaves
// the event to the next round once it ends (starting again is harmless: the instance id is fixed).
const CLAIM_LEASE_SECONDS = 60;
const CLAIMED_COLUMNS = 'e.id, e.event, e.dedupe_key, e.payload, e.raised_by, e.created_at';

interface ClaimedRow {
  id: string;
  event: string;
  dedupe_key: string;
  payload: Record<string, Json>;
  raised_by: string;
  created_at: Date | string;
  newest_versions?: NewestVersionsJson;
}

/**
 * Claims up to `limit` events not yet dispatched and not claimed by another round, oldest first,
 * in one statement that commits at once: no transaction stays open while their instances start.
 * Only events for `taskQueue` (or for no queue in particular): a dispatcher never starts
 * instances on a queue that another deployment's workers serve.
 */
export async function claimPendingEvents(em: EntityManager, taskQueue: string, limit: number): Promise<ClaimedEvent[]> {
  const rows = await em.execute<ClaimedRow[]>(
    `update process_event e set attempts = e.attempts + 1, claimed_until = now() + make_interval(secs => ?)
      where e.id in (select id from process_event
                      where dispatched_at is null and (claimed_until is null or claimed_until < now())
                        and (task_queue is null or task_queue = ?)
                      order by created_at limit ? for update skip locked)
      returning ${CLAIMED_COLUMNS}`,
    [CLAIM_LEASE_SECONDS, taskQueue, limit],
  );
  return rows.map(toClaimed).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/**
 * Claims the one event a request raised, whether or not another round has claimed it: the request
 * answers with its started processes, and a second start of the same instance id joins the first.
 * Null once it is dispatched; a round that still holds the row (an older dispatcher's lock) is
 * waited for, after which the row no longer matches and the request reads what that round recorded.
 */
export async function claimRaisedEvent(em: EntityManager, taskQueue: string, id: string): Promise<ClaimedEvent | null> {
  const rows = await em.execute<ClaimedRow[]>(
    `update process_event e set attempts = e.attempts + 1, claimed_until = now() + make_interval(secs => ?)
      where e.id = ? and e.dispatched_at is null and (e.task_queue is null or e.task_queue = ?)
      returning ${CLAIMED_COLUMNS}`,
    [CLAIM_LEASE_SECONDS, id, taskQueue],
  );
  return rows[0] ? toClaimed(rows[0]) : null;
}

/** Records the instances started for a claimed event (unless another dispatcher recorded them first). */
export async function markEventDispatched(
  em: EntityManager,
  id: string,
  instances: { templateKey: string; instanceId: string }[],
  lastError: string | null,
): Promise<void> {
  await em.execute(
    `update process_event set dispatched_at = now(), instances = ?::jsonb, last_error = ?, claimed_until = null
      where id = ? and dispatched_at is null`,
    [JSON.stringify(instances), lastError, id],
  );
}

/** Gives a claimed event back, pending, with why its start failed: the next round retries it. */
export async function releaseEvent(em: EntityManager, id: string, lastError: string | null): Promise<void> {
  await em.execute(
    `update process_event set claimed_until = null, last_error = coalesce(?, last_error) where id = ? and dispatched_at is null`,
    [lastError, id],
  );
}

function toClaimed(row: ClaimedRow): ClaimedEvent {
  return {
    id: row.id,
    event: row.event,
    dedupeKey: row.dedupe_key,
    payload: row.payload,
    raisedBy: row.raised_by,
    createdAt: new Date(row.created_at),
    ...(row.newest_versions ? { newestVersions: newestVersionsOf(row.newest_versions) } : {}),
  };
}

/** The id of the event raised about a record (event name and dedupe key); null when none was. */
export async function findRaisedEventId(
  em: EntityManager,
  event: TriggerEvent,
  dedupeKey: string,
): Promise<string | null> {
  return (await em.findOne(RaisedEvent, { event, dedupeKey }, { fields: ['id'] }))?.id ?? null;
}

export async function findProcessEvent(em: EntityManager, id: string): Promise<RaisedEvent | null> {
  return em.findOne(RaisedEvent, { id });
}

function currentActivityTaskQueue(): string | null {
  try {
    return Context.current().info.taskQueue;
  } catch {
    return null; // not inside an activity
  }
}
