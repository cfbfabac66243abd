import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Logger } from 'pino';
import type { Orm } from '../../db/orm';
import {
  claimPendingEvents,
  claimRaisedEvent,
  findProcessEvent,
  markEventDispatched,
  releaseEvent,
  type ClaimedEvent,
} from '../../db/repositories';
import type { ProcessPlan } from '../../dsl/plan';
import { InstanceRepository } from '../../db/repositories/instance-repository';
import { ProblemError } from '../problem-error';
import type { InputValidator } from './input-validator';
import { evaluateBusinessKey, startPlannedInstance } from './process-starter';
import { PublishedPlanCache } from './published-plan-cache';

export interface TriggerDispatcherDeps {
  orm: Orm;
  client: Client;
  taskQueue: string;
  validator: InputValidator;
  logger?: Pick<Logger, 'warn' | 'error'>;
  /** Temporal starts in flight at once from this dispatcher (requests and poller together). */
  maxConcurrentStarts?: number;
}

export interface StartedByEvent {
  templateKey: string;
  instanceId: string;
}

const BATCH = 50;
// Enough to keep the Temporal frontend busy from one API process without queueing a burst of
// requests behind each other; beyond it, starts wait for a slot rather than pile onto the server.
const DEFAULT_MAX_CONCURRENT_STARTS = 16;
// The poller's share: requests dispatching their own events take the other slots.
const ROUND_LANES = 8;

/**
 * Starts the templates bound to pending business events (the trigger outbox). Each event starts
 * each bound template once: the instance id is derived from template, event and dedupe key, and
 * Temporal refuses a second start of that id (or joins the running one). So an event is claimed
 * (a lease, committed at once), its instances are started outside any transaction, and then it is
 * marked dispatched; a dispatcher that dies in between leaves the claim to expire and the event to
 * the next round, whose start of the same ids is harmless. An event stays pending while Temporal
 * cannot be reached; an event whose payload a template's input schema refuses is recorded with the
 * error (the linter makes that a publish-time error for the shipped events), so it cannot block
 * the ones behind it.
 */
export class TriggerDispatcher {
  private readonly plans = new PublishedPlanCache();
  private readonly slots: StartSlots;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<unknown> = Promise.resolve();

  /**
   * How this dispatcher starts a process: as POST /instances does, writing the instance row right
   * after Temporal accepts the start (the workflow then skips its first projection).
   */
  private readonly starter: Parameters<typeof startPlannedInstance>[0];

  constructor(private readonly deps: TriggerDispatcherDeps) {
    const instances = new InstanceRepository();
    this.starter = {
      client: deps.client,
      taskQueue: deps.taskQueue,
      projectStart: async (params, runId) => {
        await instances.project(deps.orm.em.fork(), params, new Date(), runId);
      },
    };
    this.slots = new StartSlots(deps.maxConcurrentStarts ?? DEFAULT_MAX_CONCURRENT_STARTS);
  }

  /**
   * Dispatches one event now (right after the request that raised it committed); returns its
   * instances, or null while it stays pending. Requests dispatch side by side, not one at a time.
   */
  async dispatchEvent(eventId: string): Promise<StartedByEvent[] | null> {
    const event = await claimRaisedEvent(this.deps.orm.em.fork(), this.deps.taskQueue, eventId);
    if (event) return this.dispatchClaimed(event);
    const stored = await findProcessEvent(this.deps.orm.em.fork(), eventId);
    return stored?.dispatchedAt ? (stored.instances ?? []) : null;
  }

  /** Dispatches every pending event not claimed elsewhere; returns how many were dispatched. */
  async dispatchPending(): Promise<number> {
    const round = this.polling.catch(() => undefined).then(() => this.dispatchRound());
    this.polling = round;
    return round;
  }

  /** Polls for pending events (raised by activities, or left by a Temporal outage). */
  start(intervalMs = 500): void {
    if (this.timer) return;
    const tick = (): void => {
      this.dispatchPending()
        .catch((error: unknown) => this.deps.logger?.error({ err: error }, 'trigger dispatch round failed'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, intervalMs);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.polling.catch(() => undefined);
  }

  private async dispatchRound(): Promise<number> {
    const events = await claimPendingEvents(this.deps.orm.em.fork(), this.deps.taskQueue, BATCH);
    // A few events side by side, oldest first; once Temporal fails one, the rest are given back
    // untried for the next round instead of each waiting out the same outage.
    let next = 0;
    let dispatched = 0;
    let deferred = false;
    const lane = async (): Promise<void> => {
      for (let event = events[next++]; event; event = events[next++]) {
        if (deferred) {
          await releaseEvent(this.deps.orm.em.fork(), event.id, null);
          continue;
        }
        if ((await this.dispatchClaimed(event)) === null) deferred = true;
        else dispatched += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(ROUND_LANES, events.length) }, lane));
    return dispatched;
  }

  /** Starts a claimed event's bound templates and records them; null (released, pending) when Temporal failed. */
  private async dispatchClaimed(event: ClaimedEvent): Promise<StartedByEvent[] | null> {
    const em = this.deps.orm.em.fork();
    try {
      const bound = (await this.plans.latestPlans(em)).filter((plan) =>
        plan.triggers.some((trigger) => trigger.event === event.event),
      );
      const { started, refused } = await this.startBound(event, bound);
      await markEventDispatched(em, event.id, started, refused.length > 0 ? refused.join('\n') : null);
      return started;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.deps.logger?.warn({ err: error, event: event.event, eventId: event.id }, 'trigger dispatch deferred');
      await releaseEvent(em, event.id, message);
      return null;
    }
  }

  private async startBound(
    event: ClaimedEvent,
    plans: ProcessPlan[],
  ): Promise<{ started: StartedByEvent[]; refused: string[] }> {
    const refused: string[] = [];
    const outcomes = await Promise.all(
      plans.map(async (plan): Promise<StartedByEvent | null> => {
        const instanceId = `${plan.key}-${event.event}-${event.dedupeKey}`;
        try {
          this.deps.validator.assertValid(`${plan.key}@${plan.version}`, plan.inputSchema, event.payload);
          const businessKey = evaluateBusinessKey(plan, event.payload);
          await this.slots.run(() =>
            startPlannedInstance(this.starter, {
              plan,
              input: event.payload,
              instanceId,
              businessKey,
              startedBy: event.raisedBy,
            }),
          );
        } catch (error) {
          if (error instanceof ProblemError) {
            refused.push(`${plan.key}@${plan.version}: ${error.detail}`);
            return null;
          }
          if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        }
        return { templateKey: plan.key, instanceId };
      }),
    );
    return { started: outcomes.filter((started) => started !== null), refused: refused.sort() };
  }
}

/** A bound on calls in flight: each waits for a free slot, first come first served. */
class StartSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await call();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    }
  }
}
