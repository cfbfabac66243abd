import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Json } from '../../dsl/plan';
import type { TriggerEvent, TriggerPayload } from '../../dsl/trigger-events';
import { Context } from '@temporalio/activity';
import { RaisedEvent } from '../entities';

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
): Promise<{ id: string; created: boolean }> {
  const id = `evt-${randomUUID()}`;
  const inserted = await em.execute<{ id: string }[]>(
    `insert into process_event (id, event, dedupe_key, payload, raised_by, task_queue, created_at) values (?, ?, ?, ?, ?, ?, now())
     on conflict (event, dedupe_key) do nothing returning id`,
    [
      id,
      event,
      options.dedupeKey,
      JSON.stringify(payload as Json),
      options.raisedBy,
      options.taskQueue ?? currentActivityTaskQueue(),
    ],
  );
  if (inserted.length === 1) return { id, created: true };
  const existing = await em.execute<{ id: string }[]>(
    'select id from process_event where event = ? and dedupe_key = ?',
    [event, options.dedupeKey],
  );
  return { id: existing[0]!.id, created: false };
}

/**
 * Events not yet dispatched, oldest first, locked for this transaction (other dispatchers skip
 * them). Only events for `taskQueue` (or for no queue in particular): a dispatcher never starts
 * instances on a queue that another deployment's workers serve. The one event a request raised
 * (`onlyId`) is waited for instead of skipped: when another process's round holds it, the request
 * would otherwise answer "no processes" while that round is starting them; once it commits, the
 * row no longer matches and the request reads the instances it recorded.
 */
export async function lockPendingEvents(
  em: EntityManager,
  taskQueue: string,
  limit: number,
  onlyId?: string,
): Promise<RaisedEvent[]> {
  const rows = await em.execute<{ id: string }[]>(
    `select id from process_event where dispatched_at is null and (task_queue is null or task_queue = ?) ${onlyId ? 'and id = ?' : ''}
     order by created_at limit ? for update${onlyId ? '' : ' skip locked'}`,
    onlyId ? [taskQueue, onlyId, limit] : [taskQueue, limit],
  );
  if (rows.length === 0) return [];
  return em.find(RaisedEvent, { id: { $in: rows.map((r) => r.id) } }, { orderBy: { createdAt: 'asc' } });
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
