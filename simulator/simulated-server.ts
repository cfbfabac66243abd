import { randomUUID } from 'node:crypto';
import { TypedSearchAttributes } from '@temporalio/common';
import type { Workflow } from '@temporalio/worker/lib/workflow/interface';
import type { WorkflowInfo } from '@temporalio/workflow';
import type { coresdk } from '@temporalio/proto';
import type { DryRunTaskAction, TaskAction, TaskAnswer } from '../contracts/dry-run';
import type { InstanceState, TimelineEntry } from '../contracts/engine';
import { holdersOf } from '../contracts/roles';
import type { Json } from '../dsl/plan';
import { RUN_PROCESS, type RunProcessInput } from '../workflows/messages';
import {
  activationOf,
  durationMs,
  fromPayload,
  fromPayloads,
  describeWorkflowFailure,
  timestamp,
  toPayload,
  type Command,
  type Job,
} from './activation-protocol';
import { answerActivity, type ActivityCall, type ServerWorld } from './server-activities';
import { workflowCreator } from './workflow-vm';

export type { ActivityCall, ServerWorld } from './server-activities';

/** An open (or answered) human task as the simulated server tracks it. */
export interface SimulatedTask {
  taskId: string;
  stepId: string;
  title: string;
  openedAtMs: number;
  answer: TaskAnswer | undefined;
  /** The answer's place in the step's list: answers due at the same moment go in that order. */
  answerIndex: number;
  /** Set once openTask has been answered: the task can be completed from the next activation. */
  projected: boolean;
  candidateRole: string | null;
  /** How many of the answer's actions were sent; one not answered yet holds back the rest. */
  actionsSent: number;
  actionInFlight: boolean;
  actions: DryRunTaskAction[];
  delivered: boolean;
  closed: boolean;
  outcome?: string;
  form?: Json;
  rejection?: string;
}

export interface ServerBudget {
  maxActivations: number;
  /** Wall-clock instant (Date.now()) after which the run stops. */
  deadline: number;
  maxRuns: number;
}

export interface ServerOutcome {
  status: 'completed' | 'failed' | 'cancelled' | 'waiting' | 'continued-as-new';
  result?: Json;
  error?: { code: string; message: string };
  state: InstanceState | null;
  timeline: TimelineEntry[];
  activities: ActivityCall[];
  tasks: SimulatedTask[];
  startMs: number;
  endMs: number;
  activations: number;
}

const NAMESPACE = 'dry-run';

/**
 * A stand-in for Temporal's server and Core around ONE workflow run of the interpreter in the
 * worker's VM runtime: it feeds activations, reads the commands and turns them into the next
 * activation. Activities and children are answered at once (a child may stay running until the
 * parent cancels it), timers fire on a virtual clock that jumps to the next thing due, task answers
 * arrive as the claimTask / delegateTask / releaseTask and completeTask Updates and events as the
 * `event` signal, exactly as the API sends them.
 */
export class SimulatedServer {
  private now: number;
  private activations = 0;
  /** This run's history length as the server would count its events (workflowInfo().historyLength). */
  private historyLength = 0;
  private readonly timers = new Map<number, number>();
  private readonly tasks = new Map<string, SimulatedTask>();
  private readonly updates = new Map<string, { task: SimulatedTask; action?: DryRunTaskAction }>();
  private readonly activityCalls: ActivityCall[] = [];
  private readonly matchedStarts = new Set<number>();
  private cancelAt: number | undefined;
  private workflow: Workflow | undefined;
  private runId = '';
  private runs = 0;

  constructor(
    private readonly world: ServerWorld,
    private readonly budget: ServerBudget,
    private readonly startMs: number,
    private readonly workflowId: string,
    cancelAfterMs?: number,
  ) {
    this.now = startMs;
    this.cancelAt = cancelAfterMs === undefined ? undefined : startMs + cancelAfterMs;
  }

  async run(input: RunProcessInput): Promise<ServerOutcome> {
    let args = input;
    try {
      for (;;) {
        const ended = await this.runOnce(args);
        if (ended.status !== 'continued-as-new' || ended.next === undefined || this.runs >= this.budget.maxRuns) {
          return await this.outcome(ended);
        }
        await this.disposeWorkflow();
        args = ended.next;
      }
    } finally {
      await this.disposeWorkflow();
    }
  }

  private async runOnce(args: RunProcessInput): Promise<RunEnd> {
    this.runs++;
    this.timers.clear();
    // WorkflowExecutionStarted, WorkflowTaskScheduled, WorkflowTaskStarted.
    this.historyLength = 1;
    this.runId = randomUUID();
    const { workflowId } = this;
    const creator = await workflowCreator();
    this.workflow = await creator.createWorkflow({
      info: workflowInfo(workflowId, this.runId, this.now, this.startMs),
      randomnessSeed: [1, 2, 3, 4, 5, 6, 7, 8],
      now: this.now,
      showStackTraceSources: false,
    });
    let jobs: Job[] = [
      {
        initializeWorkflow: {
          workflowType: RUN_PROCESS,
          workflowId,
          arguments: [toPayload(args)],
          firstExecutionRunId: this.runId,
          attempt: 1,
          startTime: timestamp(this.startMs),
          workflowTaskTimeout: timestamp(10_000),
        },
      },
    ];
    for (;;) {
      if (this.activations >= this.budget.maxActivations)
        return { status: 'failed', error: budgetError(`more than ${this.budget.maxActivations} activations`) };
      if (Date.now() > this.budget.deadline)
        return { status: 'failed', error: budgetError('the wall-clock budget ran out') };
      const commands = await this.activate(jobs);
      if ('failed' in commands) return { status: 'failed', error: commands.failed };
      const handled = await this.handle(commands.commands);
      if (handled.end) return handled.end;
      jobs = handled.jobs;
      if (jobs.length > 0) continue;
      jobs = await this.deliverDue();
      if (jobs.length > 0) continue;
      const next = this.nextDue();
      if (next === undefined) return { status: 'waiting' };
      this.now = Math.max(this.now, next);
      jobs = this.fireTimers();
      if (jobs.length === 0) jobs = await this.deliverDue();
      if (jobs.length === 0) return { status: 'waiting' };
    }
  }

  private async activate(
    jobs: Job[],
  ): Promise<{ commands: Command[] } | { failed: { code: string; message: string } }> {
    this.activations++;
    this.historyLength += eventsOfJobs(jobs) + 2;
    const completion = await this.requireWorkflow().activate(
      activationOf({
        runId: this.runId,
        timestamp: timestamp(this.now),
        isReplaying: false,
        historyLength: this.historyLength,
        jobs,
      }),
    );
    this.historyLength += 1 + eventsOfCommands(completion.successful?.commands ?? []);
    if (completion.failed) {
      const { message } = describeWorkflowFailure(completion.failed.failure);
      return { failed: { code: 'internal', message: `the workflow task failed: ${message}` } };
    }
    return { commands: completion.successful?.commands ?? [] };
  }

  /** Turns one activation's commands into the jobs answering them (or the run's end). */
  private async handle(commands: Command[]): Promise<{ jobs: Job[]; end?: RunEnd }> {
    const jobs: Job[] = [];
    const scheduled: ActivityCall[] = [];
    for (const command of commands) {
      if (command.startTimer) {
        this.timers.set(command.startTimer.seq ?? 0, this.now + durationMs(command.startTimer.startToFireTimeout));
      } else if (command.cancelTimer) {
        this.timers.delete(command.cancelTimer.seq ?? 0);
      } else if (command.scheduleActivity || command.scheduleLocalActivity) {
        const call = this.newCall(command);
        scheduled.push(call);
      } else if (command.requestCancelActivity || command.requestCancelLocalActivity) {
        const seq = (command.requestCancelActivity ?? command.requestCancelLocalActivity)?.seq ?? 0;
        const call = scheduled.find((candidate) => candidate.seq === seq && !candidate.answered);
        if (call) call.cancelled = true;
      } else if (command.startChildWorkflowExecution) {
        jobs.push(...(await this.world.answerChild(command.startChildWorkflowExecution, this.now)));
      } else if (command.cancelChildWorkflowExecution) {
        const cancelled = this.world.cancelChild(command.cancelChildWorkflowExecution.childWorkflowSeq ?? 0);
        // EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED and the workflow task Core completes without
        // the workflow (the cancel request is Core's own command): the child's end comes after.
        if (cancelled.length > 0) this.historyLength += 4;
        jobs.push(...cancelled);
      } else if (command.updateResponse) {
        this.noteUpdateResponse(command.updateResponse);
      } else if (command.completeWorkflowExecution) {
        const value = fromPayload(command.completeWorkflowExecution.result) as { result?: Json } | null;
        return { jobs, end: { status: 'completed', result: value?.result ?? null } };
      } else if (command.failWorkflowExecution) {
        return {
          jobs,
          end: { status: 'failed', error: describeWorkflowFailure(command.failWorkflowExecution.failure) },
        };
      } else if (command.cancelWorkflowExecution) {
        return { jobs, end: { status: 'cancelled' } };
      } else if (command.continueAsNewWorkflowExecution) {
        const [next] = fromPayloads(command.continueAsNewWorkflowExecution.arguments);
        return { jobs, end: { status: 'continued-as-new', next: next as unknown as RunProcessInput } };
      }
    }
    if (scheduled.some((call) => !call.engine)) await this.matchCallSteps(scheduled);
    for (const call of scheduled) {
      const job = await answerActivity(call, this.world, this.now, (task) => this.openTask(task));
      if (job) jobs.push(job);
    }
    return { jobs };
  }

  private newCall(command: Command): ActivityCall {
    const local = command.scheduleLocalActivity !== undefined && command.scheduleLocalActivity !== null;
    const schedule = (command.scheduleActivity ?? command.scheduleLocalActivity)!;
    const activity = schedule.activityType ?? '';
    const call: ActivityCall = {
      seq: schedule.seq ?? 0,
      activityId: schedule.activityId ?? '',
      activity,
      params: fromPayloads(schedule.arguments)[0] ?? null,
      local,
      engine: activity.startsWith('engine.'),
      stepId: null,
      path: null,
      atMs: this.now - this.startMs,
      generated: false,
      answered: false,
      retry: {
        maximumAttempts: schedule.retryPolicy?.maximumAttempts ?? 0,
        nonRetryableErrorTypes: schedule.retryPolicy?.nonRetryableErrorTypes ?? [],
      },
    };
    this.activityCalls.push(call);
    return call;
  }

  /**
   * Commands carry no step: a call step's activity is matched to the earliest `step.started` of
   * a call step of that activity not matched yet (each occurrence schedules exactly one).
   */
  private async matchCallSteps(scheduled: ActivityCall[]): Promise<void> {
    const timeline = await this.query<TimelineEntry[]>('timeline');
    for (const call of scheduled) {
      if (call.engine) continue;
      const start = timeline.find(
        (entry) =>
          entry.type === 'step.started' &&
          !this.matchedStarts.has(entry.seq) &&
          entry.path !== undefined &&
          this.world.activityOfStep(entry.path) === call.activity,
      );
      if (!start) continue;
      this.matchedStarts.add(start.seq);
      call.stepId = start.stepId ?? null;
      call.path = start.path ?? null;
    }
  }

  private openTask(task: SimulatedTask): void {
    this.tasks.set(task.taskId, task);
  }

  /**
   * Task answers and events due now, as the Updates and signal the API would send. A task's
   * actions go first, one at a time as the API waits for each Update's answer, then its completion.
   */
  private async deliverDue(): Promise<Job[]> {
    const jobs: Job[] = [];
    const due = [...this.tasks.values()]
      .filter((task) => answerPending(task) && !task.actionInFlight)
      .map((task) => ({ task, at: task.openedAtMs + (task.answer!.afterMs ?? 0) }))
      .filter(({ at }) => at <= this.now)
      .sort((a, b) => a.at - b.at || a.task.answerIndex - b.task.answerIndex);
    for (const { task } of due) {
      const answer = task.answer!;
      const action = answer.actions?.[task.actionsSent];
      if (action) {
        task.actionsSent++;
        task.actionInFlight = true;
        jobs.push(this.actionUpdate(task, action));
        continue;
      }
      task.delivered = true;
      const args = {
        taskId: task.taskId,
        outcome: answer.outcome,
        form: answer.form ?? {},
        actor: { userId: answer.completedBy ?? 'dry-run', roles: [] },
      };
      jobs.push(this.update({ task }, 'completeTask', args));
    }
    if (this.cancelAt !== undefined && this.cancelAt <= this.now) {
      this.cancelAt = undefined;
      jobs.push({ cancelWorkflow: { reason: 'dry run: cancelled by the scenario' } });
    }
    const events = this.world.answers.events;
    let waitingFor: Set<string> | undefined;
    for (const event of [...events]) {
      if (event.afterMs !== undefined) {
        if (this.startMs + event.afterMs > this.now) continue;
      } else {
        waitingFor ??= await this.eventsAwaited();
        if (!waitingFor.has(event.event)) continue;
        waitingFor.delete(event.event);
      }
      this.world.answers.takeEvent(event.index);
      const signal = { event: event.event, payload: event.payload, eventId: `dry-run-event-${event.index + 1}` };
      jobs.push({ signalWorkflow: { signalName: 'event', input: [toPayload(signal)], identity: 'dry-run' } });
    }
    return jobs;
  }

  /**
   * A dry run knows no people: the actor holds the roles the action needs (the task's candidate
   * role, the right to delegate others' tasks), so only what the template and the task decide can
   * refuse it (four-eyes, releasing a task one does not hold, a named-users task delegated outside them).
   */
  private actionUpdate(task: SimulatedTask, action: TaskAction): Job {
    const roles = [...(task.candidateRole ? [task.candidateRole] : []), ...holdersOf('tasks.delegate-others')];
    const actor = { userId: action.by, roles };
    const record: DryRunTaskAction = {
      kind: action.kind,
      by: action.by,
      ...(action.kind === 'delegate' ? { to: action.to } : {}),
      atMs: this.now - this.startMs,
    };
    task.actions.push(record);
    const args = { taskId: task.taskId, actor, ...(action.kind === 'delegate' ? { to: action.to } : {}) };
    return this.update({ task, action: record }, `${action.kind}Task`, args);
  }

  private update(target: { task: SimulatedTask; action?: DryRunTaskAction }, name: string, args: unknown): Job {
    const updateId = `dry-run-update-${this.updates.size + 1}`;
    this.updates.set(updateId, target);
    return {
      doUpdate: {
        id: updateId,
        protocolInstanceId: updateId,
        name,
        input: [toPayload(args)],
        meta: { updateId, identity: 'dry-run' },
        runValidator: true,
      },
    };
  }

  /** Events that a `receive` running now waits for. */
  private async eventsAwaited(): Promise<Set<string>> {
    const state = await this.query<InstanceState>('state');
    return new Set(state.currentSteps.flatMap((stepId) => this.world.eventsReceivedBy(stepId)));
  }

  private nextDue(): number | undefined {
    const due: number[] = [...this.timers.values()];
    if (this.cancelAt !== undefined) due.push(this.cancelAt);
    for (const task of this.tasks.values()) {
      if (answerPending(task) && !task.actionInFlight) due.push(task.openedAtMs + (task.answer!.afterMs ?? 0));
    }
    for (const event of this.world.answers.events) {
      if (event.afterMs !== undefined) due.push(this.startMs + event.afterMs);
    }
    return due.length === 0 ? undefined : Math.min(...due);
  }

  private fireTimers(): Job[] {
    const due = [...this.timers.entries()]
      .filter(([, at]) => at <= this.now)
      .sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    for (const [seq] of due) this.timers.delete(seq);
    return due.map(([seq]) => ({ fireTimer: { seq } }));
  }

  private noteUpdateResponse(response: coresdk.workflow_commands.IUpdateResponse): void {
    const target = this.updates.get(response.protocolInstanceId ?? '');
    if (!target) return;
    const { task, action } = target;
    if (action) {
      // Refused by its validator, or failed after acceptance: either way the API's call ends.
      if (response.rejected) action.rejected = response.rejected.message ?? 'rejected';
      if (response.rejected || response.completed) task.actionInFlight = false;
      return;
    }
    if (response.rejected) {
      task.rejection = response.rejected.message ?? 'rejected';
    } else if (response.accepted) {
      task.closed = true;
      task.outcome = task.answer?.outcome;
      task.form = (task.answer?.form ?? {}) as Json;
    }
  }

  private async query<T>(queryType: string): Promise<T> {
    const completion = await this.requireWorkflow().activate(
      activationOf({
        runId: this.runId,
        jobs: [{ queryWorkflow: { queryId: `q-${queryType}`, queryType, arguments: [] } }],
      }),
    );
    const answer = completion.successful?.commands?.[0]?.respondToQuery;
    if (!answer?.succeeded) throw new Error(`the ${queryType} query failed: ${answer?.failed?.message ?? 'no answer'}`);
    return fromPayload(answer.succeeded.response) as T;
  }

  private async outcome(end: RunEnd): Promise<ServerOutcome> {
    let state: InstanceState | null = null;
    let timeline: TimelineEntry[] = [];
    if (this.workflow) {
      // The workflow answers queries after it ended, as on a real server.
      state = await this.query<InstanceState>('state').catch(() => null);
      timeline = await this.query<TimelineEntry[]>('timeline').catch(() => []);
    }
    return {
      status: end.status,
      ...(end.result !== undefined ? { result: end.result } : {}),
      ...(end.error ? { error: end.error } : {}),
      state,
      timeline,
      activities: this.activityCalls,
      tasks: [...this.tasks.values()],
      startMs: this.startMs,
      endMs: this.now,
      activations: this.activations,
    };
  }

  private requireWorkflow(): Workflow {
    if (!this.workflow) throw new Error('no workflow run');
    return this.workflow;
  }

  private async disposeWorkflow(): Promise<void> {
    const workflow = this.workflow;
    this.workflow = undefined;
    await workflow?.dispose();
  }
}

interface RunEnd {
  status: ServerOutcome['status'];
  result?: Json;
  error?: { code: string; message: string };
  next?: RunProcessInput;
}

/**
 * The events the server writes for what an activation delivers: an activity's Started and
 * Completed (a local one's marker), a fired timer, a signal, a cancel request, a child's Started
 * and its end. An update's request writes nothing until the workflow answers it.
 */
function eventsOfJobs(jobs: Job[]): number {
  let events = 0;
  for (const job of jobs) {
    if (job.resolveActivity) events += job.resolveActivity.isLocal ? 1 : 2;
    else if (job.fireTimer || job.signalWorkflow || job.cancelWorkflow) events += 1;
    else if (job.resolveChildWorkflowExecutionStart || job.resolveChildWorkflowExecution) events += 1;
  }
  return events;
}

/** The events the server writes for an activation's commands (after WorkflowTaskCompleted). */
function eventsOfCommands(commands: Command[]): number {
  let events = 0;
  for (const command of commands) {
    if (command.respondToQuery || command.scheduleLocalActivity) continue;
    if (command.updateResponse) {
      // Accepted, and Completed; a rejection leaves no trace in the history.
      if (command.updateResponse.accepted || command.updateResponse.completed) events += 1;
      continue;
    }
    events += 1;
  }
  return events;
}

/** The task has an answer not (fully) sent yet. */
function answerPending(task: SimulatedTask): boolean {
  return !task.closed && !task.delivered && task.projected && task.answer !== undefined;
}

function budgetError(why: string): { code: string; message: string } {
  return { code: 'dry-run.budget-exceeded', message: `the dry run stopped: ${why} (a loop without end?)` };
}

function workflowInfo(workflowId: string, runId: string, now: number, startMs: number): WorkflowInfo {
  return {
    workflowId,
    runId,
    workflowType: RUN_PROCESS,
    searchAttributes: {},
    typedSearchAttributes: new TypedSearchAttributes(),
    taskQueue: 'dry-run',
    namespace: NAMESPACE,
    firstExecutionRunId: runId,
    originalExecutionRunId: runId,
    startTime: new Date(startMs),
    runStartTime: new Date(now),
    taskTimeoutMs: 10_000,
    attempt: 1,
    historyLength: 1,
    historySize: 0,
    continueAsNewSuggested: false,
    currentBuildId: '',
    unsafe: { now: () => now, isReplaying: false, isReplayingHistoryEvents: false },
  } as unknown as WorkflowInfo;
}
