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
import { evaluateBusinessKey, startPlannedInstance, type PlannedStart } from './process-starter';
import { PublishedPlanCache } from './published-plan-cache';

export interface TriggerDispatcherDeps {
  orm: Orm;
  client: Client;
  taskQueue: string;
  validator: InputValidator;
  logger?: Pick<Logger, 'warn' | 'error'>;
  /** Temporal starts in flight at once from this dispatcher (requests and poller together). */
  maxConcurrentStarts?: number;
  /** Requests' events started in the background at once; beyond, they wait for the poller. */
  maxBackgroundDispatches?: number;
}

export interface StartedByEvent {
  templateKey: string;
  instanceId: string;
}

const BATCH = 50;
// Enough to keep the Temporal frontend busy from one API process without queueing a burst of
// requests behind each other; beyond it, starts wait for a slot rather than pile onto the server.
const DEFAULT_MAX_CONCURRENT_STARTS = 16;
// The poller's share: the background starts of requests' own events take the other slots.
const ROUND_LANES = 8;
// Background dispatches (one per request that raised an event) held in memory at once; beyond
// it a burst waits in the outbox for the poller instead, so its backlog costs no memory here.
const DEFAULT_MAX_BACKGROUND_DISPATCHES = 500;
// How long stop waits for them (Temporal may be unreachable) before it cancels the rest; an event
// whose start was cancelled is given back, and a poller starts the same ids.
const BACKGROUND_STOP_WAIT_MS = 2_000;
// How long a read or an event waits for the start of the instance it is about (waitForStart).
const START_WAIT_MS = 5_000;

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
  /** Background starts in flight, by `instance:<id>` and `business:<key>` (see waitForStart). */
  private readonly starting = new Map<string, Promise<void>>();
  /** Every background dispatch in flight, whether or not it starts anything: stop waits for them. */
  private readonly background = new Set<Promise<void>>();
  /** Aborted by stop: cancels the starts still in flight after BACKGROUND_STOP_WAIT_MS. */
  private stopping = new AbortController();
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
   * Dispatches one event now and waits for its starts; returns its instances, or null while it
   * stays pending.
   */
  async dispatchEvent(eventId: string): Promise<StartedByEvent[] | null> {
    const event = await claimRaisedEvent(this.deps.orm.em.fork(), this.deps.taskQueue, eventId);
    if (event) return this.dispatchClaimed(event);
    return this.recordedInstances(eventId);
  }

  /**
   * Starts the processes of a committed request's event without holding its answer: claims the
   * event (unless `claimed`, the claim its insert took in the request's transaction), names the
   * instances its bound templates start (their ids are fixed by template, event and dedupe key, so
   * they are known before Temporal is called) and starts them in the background. `pending` is
   * false when there is nothing to start: the event was dispatched before (a replayed request; its
   * recorded instances are returned), or no template takes it. Until a background start lands,
   * {@link waitForStart} lets a read of one of those instances, or of its business key, wait for it
   * instead of missing it; if it fails, the event is released and the poller starts the same ids
   * later, as it does for every event beyond `maxBackgroundDispatches` in flight.
   */
  async dispatchInBackground(
    eventId: string,
    claimed: ClaimedEvent | null = null,
  ): Promise<{ processes: StartedByEvent[]; pending: boolean }> {
    if (claimed && claimed.id !== eventId) throw new Error(`claimed event ${claimed.id} is not ${eventId}`);
    const em = this.deps.orm.em.fork();
    const event = claimed ?? (await claimRaisedEvent(em, this.deps.taskQueue, eventId));
    if (!event) {
      const recorded = await this.recordedInstances(eventId);
      return { processes: recorded ?? [], pending: recorded === null };
    }
    const planned = await this.planOrDefer(event);
    const processes = planned.starts.map(toStartedByEvent);
    if (this.background.size >= (this.deps.maxBackgroundDispatches ?? DEFAULT_MAX_BACKGROUND_DISPATCHES)) {
      await releaseEvent(em, event.id, null);
      return { processes, pending: processes.length > 0 };
    }
    const starting = this.startPlanned(event, planned).then(
      () => undefined,
      () => undefined, // deferred and logged; the poller retries
    );
    this.background.add(starting);
    void starting.then(() => this.background.delete(starting));
    this.trackStarting(planned.starts, starting);
    return { processes, pending: planned.starts.length > 0 };
  }

  /**
   * Waits for the background start (from {@link dispatchInBackground} in this process) of this
   * instance id or business key to land or fail, but no longer than START_WAIT_MS: while Temporal
   * is unreachable the client retries far longer, and a reader should hear that from Temporal,
   * not hang. Resolves false at once when no such start is in flight.
   */
  async waitForStart(key: { instanceId: string } | { businessKey: string }): Promise<boolean> {
    const starting = this.starting.get(
      'instanceId' in key ? `instance:${key.instanceId}` : `business:${key.businessKey}`,
    );
    if (!starting) return false;
    await settledOrAfter(starting, START_WAIT_MS);
    return true;
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
    await settledOrAfter(Promise.all(this.background), BACKGROUND_STOP_WAIT_MS);
    // What is left is cancelled rather than left running on a client its owner is about to close:
    // its event is given back at once, with why, instead of when the closed channel fails it (or,
    // on a connection not made by runtime/temporal-client-connection, throws from a retry timer).
    this.stopping.abort();
    await Promise.all(this.background);
    // Nothing is in flight any more: a dispatcher started again starts its events again.
    this.stopping = new AbortController();
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
    return this.planOrDefer(event)
      .then((planned) => this.startPlanned(event, planned))
      .catch(() => null); // deferred and logged
  }

  /** The event's planned starts from the newest bound plans; a failure gives the event back and is thrown. */
  private async planOrDefer(event: ClaimedEvent): Promise<PlannedStarts> {
    try {
      const bound = (await this.plans.latestPlans(this.deps.orm.em.fork(), event.newestVersions)).filter((plan) =>
        plan.triggers.some((trigger) => trigger.event === event.event),
      );
      return this.planStarts(event, bound);
    } catch (error) {
      await this.defer(event, error);
      throw error;
    }
  }

  /**
   * The instances an event starts: one per bound template whose input schema takes the payload.
   * A template that refuses it is recorded with the event, so it cannot block the ones behind it.
   */
  private planStarts(event: ClaimedEvent, plans: ProcessPlan[]): PlannedStarts {
    const starts: PlannedStart[] = [];
    const refused: string[] = [];
    for (const plan of plans) {
      try {
        this.deps.validator.assertValid(`${plan.key}@${plan.version}`, plan.inputSchema, event.payload);
        starts.push({
          plan,
          input: event.payload,
          instanceId: `${plan.key}-${event.event}-${event.dedupeKey}`,
          businessKey: evaluateBusinessKey(plan, event.payload),
          startedBy: event.raisedBy,
        });
      } catch (error) {
        if (!(error instanceof ProblemError)) throw error;
        refused.push(`${plan.key}@${plan.version}: ${error.detail}`);
      }
    }
    return { starts, refused: refused.sort() };
  }

  /**
   * Starts the planned instances side by side and marks the event dispatched; when Temporal fails
   * one, gives the event back (pending, with the error) and throws.
   */
  private async startPlanned(event: ClaimedEvent, planned: PlannedStarts): Promise<StartedByEvent[]> {
    try {
      await Promise.all(
        planned.starts.map(async (start) => {
          try {
            await this.slots.run(() => this.startCancellably(start));
          } catch (error) {
            if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
          }
        }),
      );
      const started = planned.starts.map(toStartedByEvent);
      const refused = planned.refused.length > 0 ? planned.refused.join('\n') : null;
      await markEventDispatched(this.deps.orm.em.fork(), event.id, started, refused);
      return started;
    } catch (error) {
      await this.defer(event, error);
      throw error;
    }
  }

  /** A start that stop can cancel (one still waiting for a slot then never begins). */
  private async startCancellably(start: PlannedStart): Promise<void> {
    const signal = this.stopping.signal;
    signal.throwIfAborted();
    await this.deps.client.withAbortSignal(signal, () => startPlannedInstance(this.starter, start));
  }

  private async defer(event: ClaimedEvent, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    this.deps.logger?.warn({ err: error, event: event.event, eventId: event.id }, 'trigger dispatch deferred');
    await releaseEvent(this.deps.orm.em.fork(), event.id, message).catch((releaseError: unknown) =>
      // The claim then lapses after its lease and the poller takes the event up again.
      this.deps.logger?.warn({ err: releaseError, eventId: event.id }, 'a deferred trigger event was not released'),
    );
  }

  /** What an event's dispatch recorded; null while it is pending. */
  private async recordedInstances(eventId: string): Promise<StartedByEvent[] | null> {
    const stored = await findProcessEvent(this.deps.orm.em.fork(), eventId);
    return stored?.dispatchedAt ? (stored.instances ?? []) : null;
  }

  /** Indexes a background start by each instance id and business key it starts, until it ends. */
  private trackStarting(starts: PlannedStart[], starting: Promise<void>): void {
    const keys = new Set(
      starts.flatMap((start) => [
        `instance:${start.instanceId}`,
        ...(start.businessKey !== null ? [`business:${start.businessKey}`] : []),
      ]),
    );
    for (const key of keys) {
      const earlier = this.starting.get(key);
      const joined = earlier ? Promise.all([earlier, starting]).then(() => undefined) : starting;
      this.starting.set(key, joined);
      void joined.then(() => {
        if (this.starting.get(key) === joined) this.starting.delete(key);
      });
    }
  }
}

/** Resolves once `work` has settled, or after `ms`, whichever comes first; never rejects. */
async function settledOrAfter(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

interface PlannedStarts {
  starts: PlannedStart[];
  /** `<template>@<version>: <why>` of each bound template whose input schema refused the payload. */
  refused: string[];
}

const toStartedByEvent = (start: PlannedStart): StartedByEvent => ({
  templateKey: start.plan.key,
  instanceId: start.instanceId,
});

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
