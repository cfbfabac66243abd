import { workflowInfo } from '@temporalio/workflow';
import { evaluateExpr, ExpressionError, renderValue } from '../dsl/cel/evaluate';
import { DEFAULT_RUNTIME_LIMITS, type RuntimeLimits } from '../dsl/limits';
import type { EvaluationScope, Expr, Json, ProcessPlan, ReceiveStep, ValueTemplate } from '../dsl/plan';
import { CompensationStack } from './compensation';
import { EventInbox } from './event-inbox';
import { IncidentBook } from './incidents';
import { processFailure } from './failure';
import { jsonBytes } from './json-size';
import { rootFrame, visibleResults, type Frame } from './frame';
import type { RunProcessInput } from './messages';
import { decideLegacyPatches, type LegacyPatches } from './patches';
import type { InstanceState, InstanceStatus } from '../contracts/engine';
import { TaskBook } from './task-book';
import { Timeline } from './timeline';

const UNLIMITED: RuntimeLimits = { expressionCost: Infinity, valueBytes: Infinity };

/** Identity of the instance as expressions see it (`instance.*`). */
export type InstanceInfo = EvaluationScope['instance'];

/**
 * The state of one running instance: everything the steps, the message handlers and the
 * projection share. Plain data plus small helpers; the behaviour lives in steps/ and the
 * handlers.
 */
export class ProcessInstance {
  readonly plan: ProcessPlan;
  readonly limits: RuntimeLimits;
  readonly input: Json;
  readonly info: InstanceInfo;
  readonly parentInstanceId: string | null;
  readonly vars: Record<string, Json>;
  readonly steps: Record<string, Json>;
  readonly root: Frame;
  readonly timeline: Timeline;
  readonly tasks = new TaskBook();
  readonly events: EventInbox;
  readonly compensations: CompensationStack;
  status: InstanceStatus = 'running';
  /** Set when this run continues an earlier one: the repeat to re-enter and its next iteration. */
  resume: { path: string; iteration: number } | null;
  private readonly running = new Map<string, number>();
  /**
   * Whether an event is kept only for a receive that could take it. Runs started before kept every
   * event for any later receive, and replay must keep doing so.
   */
  private readonly eventWindows: boolean;
  /** Event name → how the receives of it that have `buffer` keep it: from the start, or after these steps. */
  private readonly buffers: ReadonlyMap<string, EventBuffer>;
  /** Event name → receives waiting for it now. */
  private readonly listening = new Map<string, number>();
  /** Step id → the inbox's version when the step last finished, for `buffer: { after }`. */
  private readonly finishedAt = new Map<string, number>();
  readonly incidents = new IncidentBook();
  /** Which legacy patches this run takes: decided in its first activation (./patches.ts says why). */
  readonly patches: LegacyPatches;

  constructor(readonly args: RunProcessInput) {
    const { plan, input, carried } = args;
    this.plan = plan;
    this.patches = decideLegacyPatches(args);
    // Runs started before the budgets existed keep running without them: one of them may hold a
    // value or have evaluated an expression over a budget, and replaying it must not fail there.
    this.limits = this.patches.has('runtime-budgets') ? { ...DEFAULT_RUNTIME_LIMITS, ...plan.limits } : UNLIMITED;
    this.input = input;
    this.parentInstanceId = args.parentInstanceId ?? null;
    this.vars = { ...(carried?.vars ?? {}) };
    this.steps = { ...(carried?.steps ?? {}) };
    this.root = rootFrame(this.steps);
    this.timeline = new Timeline(carried?.timelineSeq ?? 0);
    this.events = new EventInbox(carried?.events, carried?.seenEventIds);
    this.compensations = new CompensationStack(carried?.compensations);
    this.eventWindows = this.patches.has('2026-12-event-windows');
    this.buffers = receiveBuffers(plan);
    this.resume = carried?.resume ?? null;
    const info = workflowInfo();
    this.info = {
      id: info.workflowId,
      templateKey: plan.key,
      version: plan.version,
      businessKey: null,
      startedAt: carried?.startedAt ?? args.projectedStart?.startedAt ?? new Date().toISOString(),
    };
  }

  /** Renders plan.vars and the business key; a failure here fails the instance like any step. */
  initialise(): void {
    if (!this.args.carried) {
      for (const [name, template] of Object.entries(this.plan.vars))
        this.vars[name] = this.keep(this.render(template, this.root), `variable '${name}'`);
    }
    if (this.plan.businessKey) {
      const key = this.evaluate(this.plan.businessKey, this.root);
      this.info.businessKey = key === null ? null : String(key);
    }
  }

  scope(frame: Frame): EvaluationScope {
    return {
      ...frame.locals,
      input: this.input,
      vars: this.vars,
      steps: visibleResults(frame),
      instance: this.info,
      now: new Date().toISOString(),
    };
  }

  evaluate(expr: Expr, frame: Frame): Json {
    return this.guard(() => evaluateExpr(expr, this.scope(frame), this.limits.expressionCost));
  }

  render(template: ValueTemplate, frame: Frame): Json {
    return this.guard(() => renderValue(template, this.scope(frame), this.limits.expressionCost));
  }

  /**
   * A value the instance keeps (a variable, a step's result) within `limits.valueBytes` of JSON;
   * larger ones fail the step, naming it: they would bloat every later workflow task, the
   * history and the projection.
   */
  keep(value: Json, what: string): Json {
    const bytes = jsonBytes(value);
    if (bytes > this.limits.valueBytes) {
      throw processFailure(
        'value.too-large',
        `${what} is ${bytes} bytes of JSON, more than the limit of ${this.limits.valueBytes}`,
      );
    }
    return value;
  }

  /** A condition (`if`, `when`, `until`, `match`) holds only when it evaluates to true. */
  holds(expr: Expr, frame: Frame): boolean {
    return this.evaluate(expr, frame) === true;
  }

  enter(stepId: string): void {
    this.running.set(stepId, (this.running.get(stepId) ?? 0) + 1);
  }

  leave(stepId: string): void {
    this.finishedAt.set(stepId, this.events.version);
    const count = (this.running.get(stepId) ?? 1) - 1;
    if (count <= 0) this.running.delete(stepId);
    else this.running.set(stepId, count);
  }

  /**
   * Whether an event arriving now is kept: a receive waits for it, or one with `buffer` may take it
   * later (from the start, or after a step that has finished, so its window may be open).
   */
  keepsEvent(event: string): boolean {
    if (!this.eventWindows || this.listening.has(event)) return true;
    const buffer = this.buffers.get(event);
    return buffer !== undefined && (buffer.fromStart || [...buffer.after].some((step) => this.finishedAt.has(step)));
  }

  /**
   * As a receive starts: drops the kept events of its name that arrived before its window (`since`),
   * recorded as ignored, unless some receive keeps them from the start. Kept for an earlier window
   * or while another receive waited without taking them, no receive will take them now.
   */
  dropEventsBefore(event: string, since: number): void {
    if (!this.eventWindows || this.buffers.get(event)?.fromStart) return;
    for (const stale of this.events.takeAll((e) => e.event === event, since)) {
      this.timeline.add('event.ignored', {
        detail: { event: stale.event, eventId: stale.eventId, reason: 'it came before a receive could take it' },
      });
    }
  }

  /**
   * The arrival number after which events are the receive's to take, read as the step starts:
   * those arriving while it waits, or with `buffer` also those since the instance started or since
   * the named step last finished (when it has not finished in this run, only while it waits).
   */
  eventWindowStart(step: ReceiveStep): number {
    if (!this.eventWindows) return -1;
    if (step.buffer?.after === null) return -1;
    if (step.buffer?.after !== undefined) return this.finishedAt.get(step.buffer.after) ?? this.events.version;
    return this.events.version;
  }

  /** Marks `event` as awaited while `wait` runs. */
  async listen<T>(event: string, wait: () => Promise<T>): Promise<T> {
    this.listening.set(event, (this.listening.get(event) ?? 0) + 1);
    try {
      return await wait();
    } finally {
      const count = (this.listening.get(event) ?? 1) - 1;
      if (count <= 0) this.listening.delete(event);
      else this.listening.set(event, count);
    }
  }

  currentSteps(): string[] {
    return [...this.running.keys()];
  }

  state(): InstanceState {
    return {
      instanceId: this.info.id,
      templateKey: this.info.templateKey,
      version: this.info.version,
      businessKey: this.info.businessKey,
      status: this.status,
      currentSteps: this.currentSteps(),
      vars: this.vars,
      steps: this.steps,
      tasks: this.tasks.views(),
      bufferedEvents: this.events.buffered(),
      incidents: this.incidents.views(),
    };
  }

  private guard(evaluate: () => Json): Json {
    try {
      return evaluate();
    } catch (error) {
      if (error instanceof ExpressionError) throw processFailure(error.code, error.message);
      throw error;
    }
  }
}

interface EventBuffer {
  fromStart: boolean;
  after: Set<string>;
}

/** How the `receive` steps with `buffer` anywhere in the plan, nested ones included, keep each event. */
function receiveBuffers(plan: ProcessPlan): Map<string, EventBuffer> {
  const buffers = new Map<string, EventBuffer>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const step = node as Partial<ReceiveStep>;
    if (step.kind === 'receive' && step.buffer && typeof step.event === 'string') {
      const buffer = buffers.get(step.event) ?? { fromStart: false, after: new Set<string>() };
      if (step.buffer.after === null) buffer.fromStart = true;
      else buffer.after.add(step.buffer.after);
      buffers.set(step.event, buffer);
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit([plan.steps, plan.onFailure]);
  return buffers;
}
