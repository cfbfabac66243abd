import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Logger } from 'pino';
import type { Orm } from '../../db/orm';
import type { RaisedEvent } from '../../db/entities';
import { findProcessEvent, lockPendingEvents, TemplateRegistry } from '../../db/repositories';
import type { ProcessPlan } from '../../dsl/plan';
import { ProblemError } from '../problem-error';
import type { InputValidator } from './input-validator';
import { evaluateBusinessKey, startPlannedInstance } from './process-starter';

export interface TriggerDispatcherDeps {
  orm: Orm;
  client: Client;
  taskQueue: string;
  validator: InputValidator;
  logger?: Pick<Logger, 'warn' | 'error'>;
}

export interface StartedByEvent {
  templateKey: string;
  instanceId: string;
}

const BATCH = 50;

/**
 * Starts the templates bound to pending business events (the trigger outbox). Each event starts
 * each bound template once: the instance id is derived from template, event and dedupe key, and
 * Temporal refuses a second start of that id. An event stays pending while Temporal cannot be
 * reached and is retried by the next round; an event whose payload a template's input schema
 * refuses is recorded with the error (the linter makes that a publish-time error for the shipped
 * events), so it cannot block the ones behind it.
 */
export class TriggerDispatcher {
  private readonly registry = new TemplateRegistry();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: TriggerDispatcherDeps) {}

  /** Dispatches one event now (right after the request that raised it committed); returns its instances. */
  async dispatchEvent(eventId: string): Promise<StartedByEvent[] | null> {
    const results = await this.serialised(() => this.dispatch(eventId));
    const started = results.get(eventId);
    if (started) return started;
    // The poller's round may have taken the event first: then it is dispatched, not pending.
    const event = await findProcessEvent(this.deps.orm.em.fork(), eventId);
    return event?.dispatchedAt ? (event.instances ?? []) : null;
  }

  /** Dispatches every pending event; returns how many were dispatched. */
  async dispatchPending(): Promise<number> {
    return (await this.serialised(() => this.dispatch())).size;
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
    await this.running.catch(() => undefined);
  }

  /** One round at a time per dispatcher; rounds of other processes are kept apart by row locks. */
  private serialised<T>(round: () => Promise<T>): Promise<T> {
    const next = this.running.catch(() => undefined).then(round);
    this.running = next;
    return next;
  }

  private async dispatch(onlyId?: string): Promise<Map<string, StartedByEvent[]>> {
    const dispatched = new Map<string, StartedByEvent[]>();
    await this.deps.orm.em.fork().transactional(async (em) => {
      const events = await lockPendingEvents(em, this.deps.taskQueue, BATCH, onlyId);
      if (events.length === 0) return;
      const plans = [...(await this.registry.latestPlans(em)).values()];
      for (const event of events) {
        event.attempts += 1;
        try {
          event.instances = await this.startBound(
            event,
            plans.filter((plan) => plan.triggers.some((t) => t.event === event.event)),
          );
          event.dispatchedAt = new Date();
          dispatched.set(event.id, event.instances);
        } catch (error) {
          // Temporal unreachable (or similar): keep it pending and stop the round; order is kept.
          event.lastError = error instanceof Error ? error.message : String(error);
          this.deps.logger?.warn({ err: error, event: event.event, eventId: event.id }, 'trigger dispatch deferred');
          break;
        }
      }
    });
    return dispatched;
  }

  private async startBound(event: RaisedEvent, plans: ProcessPlan[]): Promise<StartedByEvent[]> {
    const started: StartedByEvent[] = [];
    const refused: string[] = [];
    for (const plan of plans) {
      const instanceId = `${plan.key}-${event.event}-${event.dedupeKey}`;
      try {
        this.deps.validator.assertValid(`${plan.key}@${plan.version}`, plan.inputSchema, event.payload);
        const businessKey = evaluateBusinessKey(plan, event.payload);
        await startPlannedInstance(this.deps, {
          plan,
          input: event.payload,
          instanceId,
          businessKey,
          startedBy: event.raisedBy,
        });
      } catch (error) {
        if (error instanceof ProblemError) {
          refused.push(`${plan.key}@${plan.version}: ${error.detail}`);
          continue;
        }
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
      started.push({ templateKey: plan.key, instanceId });
    }
    event.lastError = refused.length > 0 ? refused.join('\n') : null;
    return started;
  }
}
