import type { FastifyBaseLogger } from 'fastify';
import type { EngineContext } from '../../engine-deps';

export interface DispatchOutcome {
  processes: { templateKey: string; instanceId: string }[];
  /** True when the event is still waiting for the dispatcher's poller (Temporal unreachable, or busy). */
  triggerPending: boolean;
}

/** How long a request waits for its processes to start; Temporal's client retries far longer in an outage. */
const DISPATCH_WAIT_MS = 5_000;

/**
 * Starts the processes bound to an event raised by a committed request (null: it raised none). A failure here is not the
 * client's: the event is stored and the dispatcher's poller retries it, so it is logged, not thrown,
 * and a start that takes longer than DISPATCH_WAIT_MS goes on without holding the answer.
 */
export async function dispatchRaised(
  ctx: EngineContext,
  log: FastifyBaseLogger,
  eventId: string | null,
): Promise<DispatchOutcome> {
  if (eventId === null) return { processes: [], triggerPending: false };
  let timer: NodeJS.Timeout | undefined;
  try {
    const dispatching = ctx.triggers.dispatchEvent(eventId);
    dispatching.catch(() => undefined); // still running after the wait: its outcome is the poller's business
    const timedOut = new Promise<'timed-out'>((resolve) => {
      timer = setTimeout(() => resolve('timed-out'), DISPATCH_WAIT_MS);
    });
    const started = await Promise.race([dispatching, timedOut]);
    if (started === 'timed-out') {
      log.warn(
        { eventId },
        `processes of a raised event not started within ${DISPATCH_WAIT_MS} ms; the poller retries it`,
      );
      return { processes: [], triggerPending: true };
    }
    if (started === null) return { processes: [], triggerPending: true };
    return {
      processes: started.map((s) => ({ templateKey: s.templateKey, instanceId: s.instanceId })),
      triggerPending: false,
    };
  } catch (error) {
    log.warn({ err: error, eventId }, 'dispatch of a raised event failed; the poller retries it');
    return { processes: [], triggerPending: true };
  } finally {
    clearTimeout(timer);
  }
}
