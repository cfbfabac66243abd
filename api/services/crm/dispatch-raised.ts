import type { FastifyBaseLogger } from 'fastify';
import type { EngineContext } from '../../engine-deps';

export interface DispatchOutcome {
  processes: { templateKey: string; instanceId: string }[];
  /** True when the event is still waiting for the dispatcher's poller (Temporal unreachable, or busy). */
  triggerPending: boolean;
}

/**
 * Starts the processes bound to an event raised by a committed request. A failure here is not the
 * client's: the event is stored and the dispatcher's poller retries it, so it is logged, not thrown.
 */
export async function dispatchRaised(ctx: EngineContext, log: FastifyBaseLogger, eventId: string): Promise<DispatchOutcome> {
  try {
    const started = await ctx.triggers.dispatchEvent(eventId);
    if (started === null) return { processes: [], triggerPending: true };
    return { processes: started.map((s) => ({ templateKey: s.templateKey, instanceId: s.instanceId })), triggerPending: false };
  } catch (error) {
    log.warn({ err: error, eventId }, 'dispatch of a raised event failed; the poller retries it');
    return { processes: [], triggerPending: true };
  }
}
