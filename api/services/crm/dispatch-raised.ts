import type { FastifyBaseLogger } from 'fastify';
import type { EngineContext } from '../../engine-deps';
import type { CreatedRecord } from '../idempotent-create';

export interface DispatchOutcome {
  /** The instances the event starts: ids fixed when the record was created, started right after the answer. */
  processes: { templateKey: string; instanceId: string }[];
  /**
   * True while there are processes to start: they start after the answer, or, when the request
   * could not even name them (the database failed it), the poller starts them later.
   */
  triggerPending: boolean;
}

/**
 * Starts the processes bound to the event a committed request raised (`eventId` null: it raised
 * none), without holding the answer for Temporal: the answer names the instances, and they start
 * in the background (TriggerDispatcher.dispatchInBackground), from the claim the event's insert
 * took when it took one. A failure here is not the client's: the event is stored and the
 * dispatcher's poller retries it, so it is logged, not thrown.
 */
export async function dispatchRaised(
  ctx: EngineContext,
  log: FastifyBaseLogger,
  { eventId, claimedEvent }: Pick<CreatedRecord, 'eventId' | 'claimedEvent'>,
): Promise<DispatchOutcome> {
  if (eventId === null) return { processes: [], triggerPending: false };
  try {
    const { processes, pending } = await ctx.triggers.dispatchInBackground(eventId, claimedEvent ?? null);
    return { processes, triggerPending: pending };
  } catch (error) {
    log.warn({ err: error, eventId }, 'dispatch of a raised event failed; the poller retries it');
    return { processes: [], triggerPending: true };
  }
}
