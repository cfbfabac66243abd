import type { coresdk } from '@temporalio/proto';
import type { ChildAnswer, DryRunScenario } from '../contracts/dry-run';
import type {
  OpenTaskParams,
  ProjectInstanceParams,
  TaskCompletion,
  TaskView,
  UpdateTaskParams,
} from '../contracts/engine';
import type { Json, ProcessPlan, StepPlan } from '../dsl/plan';
import {
  activityCancelled,
  activityFailed,
  activityResolved,
  childCompleted,
  childFailed,
  childStarted,
  fromPayloads,
  type Job,
} from './activation-protocol';
import { stepsByPath } from './plan-steps';
import { ScenarioAnswers } from './scenario-answers';
import type { SimulatedTask } from './simulated-server';

/** A non-retryable failure an engine activity would throw (ApplicationFailure with this type). */
export class EngineActivityFailure extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** One activity the workflow scheduled, with the answer it got. */
export interface ActivityCall {
  seq: number;
  activityId: string;
  activity: string;
  params: Json;
  local: boolean;
  /** The engine's own activities (tasks, projection, templates), answered as the real ones would. */
  engine: boolean;
  stepId: string | null;
  path: string | null;
  atMs: number;
  result?: Json;
  error?: { type: string; message: string };
  generated: boolean;
  answered: boolean;
  cancelled?: boolean;
  /** A retryable failure the server would retry for ever (unlimited attempts): never resolved. */
  retrying?: boolean;
  retry: { maximumAttempts: number; nonRetryableErrorTypes: string[] };
}

export interface WorldOptions {
  /** The plan a `process` step's child would run (the newest published version); null: none. */
  resolveTemplate(key: string): Promise<ProcessPlan | null>;
  /** A sample result for an activity without an answer (from its result schema). */
  sampleResult(activity: string, now: string): Json | undefined;
}

/** What the simulated server knows of the template and the scenario. */
export class ServerWorld {
  readonly answers: ScenarioAnswers;
  readonly steps: Map<string, StepPlan>;
  private readonly stepsById = new Map<string, StepPlan[]>();
  readonly childCalls: {
    stepId: string;
    workflowId: string;
    input: Json;
    answer: ChildAnswer | null;
    cancelled?: boolean;
  }[] = [];
  /** Children answered `{ running: true }`, by the start command's seq, until they are cancelled. */
  private readonly runningChildren = new Map<number, { call: ServerWorld['childCalls'][number]; runId: string }>();
  private readonly views = new Map<string, TaskView>();

  constructor(
    plan: ProcessPlan,
    scenario: DryRunScenario,
    readonly options: WorldOptions,
  ) {
    this.answers = new ScenarioAnswers(scenario);
    this.steps = stepsByPath(plan);
    for (const step of this.steps.values()) this.stepsById.set(step.id, [...(this.stepsById.get(step.id) ?? []), step]);
  }

  activityOfStep(path: string): string | undefined {
    const step = this.steps.get(path);
    return step?.kind === 'call' ? step.activity : undefined;
  }

  eventsReceivedBy(stepId: string): string[] {
    return (this.stepsById.get(stepId) ?? []).flatMap((step) => (step.kind === 'receive' ? [step.event] : []));
  }

  /**
   * Children are answered at once from the scenario (`{ result: null }` without an answer), or
   * only started (`{ running: true }`) until the parent cancels them.
   */
  async answerChild(command: coresdk.workflow_commands.IStartChildWorkflowExecution, _now: number): Promise<Job[]> {
    const seq = command.seq ?? 0;
    const workflowId = command.workflowId ?? '';
    // The interpreter names children `<parent>/<stepId>@<iteration>` (workflows/steps/process.ts).
    const stepId = workflowId.slice(workflowId.lastIndexOf('/') + 1).replace(/@[^@]*$/, '');
    const runId = `dry-run-child-${seq}`;
    const answer = this.answers.child(stepId) ?? null;
    const [args] = fromPayloads(command.input) as [{ input?: Json } | null];
    const call = { stepId, workflowId, input: args?.input ?? null, answer };
    this.childCalls.push(call);
    const started = childStarted(seq, runId);
    if (answer && 'running' in answer) {
      this.runningChildren.set(seq, { call, runId });
      return [started];
    }
    if (answer && 'error' in answer)
      return [started, childFailed(seq, { workflowId, runId, namespace: 'dry-run' }, answer.error)];
    const result = answer && 'result' in answer ? answer.result : null;
    return [started, childCompleted(seq, { status: 'completed', result, vars: {} })];
  }

  /**
   * The parent cancels a child: one answered at once is done already; a running one ends
   * cancelled, as the interpreter's child compensates and ends when its parent cancels it, and
   * Core resolves it then (the parent waits for that: WAIT_CANCELLATION_COMPLETED).
   */
  cancelChild(seq: number): Job[] {
    const running = this.runningChildren.get(seq);
    if (!running) return [];
    this.runningChildren.delete(seq);
    running.call.cancelled = true;
    return [
      childFailed(
        seq,
        { workflowId: running.call.workflowId, runId: running.runId, namespace: 'dry-run' },
        'cancelled',
      ),
    ];
  }

  /** The engine's activities, answered as activities/engine/ would, without I/O. */
  async answerEngine(call: ActivityCall, now: number, openTask: (task: SimulatedTask) => void): Promise<Json> {
    switch (call.activity) {
      case 'engine.projectInstance': {
        const params = call.params as unknown as ProjectInstanceParams;
        return { applied: true, status: params.status, timelineAdded: params.timeline.length };
      }
      case 'engine.openTask': {
        const params = call.params as unknown as OpenTaskParams;
        const view: TaskView = {
          taskId: params.taskId,
          stepId: params.stepId,
          title: params.title,
          ...(params.texts ? { texts: params.texts } : {}),
          assignee: params.assignee,
          candidateRole: params.candidates.role,
          candidateUsers: params.candidates.users,
          outcomes: params.outcomes,
          priority: params.priority,
          dueAt: params.dueAt,
          status: 'open',
          outcome: null,
          remindersSent: 0,
          escalationLevel: 0,
        };
        this.views.set(view.taskId, view);
        const answer = this.answers.task(params.stepId, params.taskId.slice(params.taskId.lastIndexOf('@') + 1));
        openTask({
          taskId: params.taskId,
          stepId: params.stepId,
          title: params.title,
          openedAtMs: now,
          answer: answer?.answer,
          answerIndex: answer?.index ?? 0,
          projected: true,
          candidateRole: params.candidates.role,
          actionsSent: 0,
          actionInFlight: false,
          actions: [],
          delivered: false,
          closed: false,
        });
        return view as unknown as Json;
      }
      case 'engine.completeTask': {
        const params = call.params as unknown as TaskCompletion;
        const view = this.view(params.taskId);
        Object.assign(view, { status: 'completed', outcome: params.outcome });
        return view as unknown as Json;
      }
      case 'engine.updateTask': {
        const { taskId, change } = call.params as unknown as UpdateTaskParams;
        const view = this.view(taskId);
        if (change.type === 'cancelled') view.status = 'cancelled';
        if (change.type === 'reminded') view.remindersSent = change.count;
        if (change.type === 'escalated') {
          view.escalationLevel = change.level;
          if (change.assignee !== undefined) view.assignee = change.assignee;
          if (change.priority) view.priority = change.priority;
        }
        if (change.type === 'claimed') view.assignee = change.by;
        if (change.type === 'delegated') view.assignee = change.to;
        if (change.type === 'released') view.assignee = null;
        return view as unknown as Json;
      }
      case 'engine.resolveTemplate': {
        const { key } = call.params as { key: string };
        const plan = await this.options.resolveTemplate(key);
        // As activities/engine/templates.ts fails it.
        if (!plan) throw new EngineActivityFailure('template.not-found', `no published template '${key}'`);
        return plan as unknown as Json;
      }
      default:
        throw new Error(`no simulation of engine activity ${call.activity}`);
    }
  }

  /** Who holds the task as the engine's activities left it (claims, delegations, escalations). */
  assigneeOf(taskId: string): string | null {
    return this.views.get(taskId)?.assignee ?? null;
  }

  private view(taskId: string): TaskView {
    let view = this.views.get(taskId);
    if (!view) {
      view = {
        taskId,
        stepId: '',
        title: '',
        assignee: null,
        candidateRole: null,
        candidateUsers: [],
        outcomes: [],
        priority: 'normal',
        dueAt: null,
        status: 'open',
        outcome: null,
        remindersSent: 0,
        escalationLevel: 0,
      };
      this.views.set(taskId, view);
    }
    return view;
  }
}

/**
 * The answer to one scheduled activity: the engine's own as the real ones would answer, a call
 * step's from the scenario (a retryable error takes the step's next answer, as the server's retry
 * would run the activity again) or a sample of its result schema. Undefined: never answered.
 */
export async function answerActivity(
  call: ActivityCall,
  world: ServerWorld,
  now: number,
  openTask: (task: SimulatedTask) => void,
): Promise<Job | undefined> {
  const activity = { type: call.activity, id: call.activityId };
  call.answered = true;
  if (call.cancelled) return activityCancelled(call.seq, call.local, activity);
  if (call.engine) {
    try {
      call.result = await world.answerEngine(call, now, openTask);
    } catch (error) {
      if (!(error instanceof EngineActivityFailure)) throw error;
      call.error = { type: error.type, message: error.message };
      return activityFailed(call.seq, call.local, activity, { ...call.error, nonRetryable: true });
    }
    return activityResolved(call.seq, call.local, call.result);
  }
  for (let attempt = 1; ; attempt++) {
    const answer = call.stepId === null ? undefined : world.answers.activity(call.stepId);
    if (!answer) {
      call.generated = true;
      call.result = world.options.sampleResult(call.activity, new Date(now).toISOString()) ?? null;
      return activityResolved(call.seq, call.local, call.result);
    }
    if ('result' in answer) {
      call.result = answer.result;
      return activityResolved(call.seq, call.local, answer.result);
    }
    const { type, message } = answer.error;
    call.error = { type, message };
    const nonRetryable = answer.error.nonRetryable === true || call.retry.nonRetryableErrorTypes.includes(type);
    const { maximumAttempts } = call.retry;
    const exhausted = maximumAttempts > 0 && attempt >= maximumAttempts;
    const repeats = world.answers.repeatsLast(
      'activity',
      call.stepId ?? '',
      world.answers.activityAnswers(call.stepId ?? ''),
    );
    if (nonRetryable || exhausted || (repeats && maximumAttempts > 0)) {
      return activityFailed(call.seq, call.local, activity, { type, message, nonRetryable });
    }
    if (repeats) {
      call.retrying = true;
      return undefined;
    }
  }
}
