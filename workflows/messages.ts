import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Json, ProcessPlan, StepPlan } from '../dsl/plan';
import type {
  Actor,
  CompleteTaskArgs,
  InstanceEvent,
  InstanceState,
  TaskCompletion,
  TaskView,
  TimelineEntry,
} from '../contracts/engine';

/** Workflow type name of the interpreter; every template instance runs it. */
export const RUN_PROCESS = 'runProcess';

export interface RunProcessInput {
  plan: ProcessPlan;
  input: Json;
  /** Set when this run continues an earlier one (continue-as-new) with its state. */
  carried?: CarriedState;
  /** Set for a child instance started by a `process` step. */
  parentInstanceId?: string;
  /** Tuning the interpreter; not part of the template. */
  options?: RunProcessOptions;
  /**
   * Set by a starter that writes the instance row and its `instance.started` entry (seq 1) itself,
   * right after the start (api/services/process-starter.ts), and leaves out the ProcessStatus search
   * attribute: Temporal's own execution status says running, completed, failed or cancelled, so the
   * attribute is set only while the product's status differs from it (incident). The run then skips
   * its first projection flush and those status upserts, each a round of dev-server work per
   * instance. Runs started without it (older histories, child instances) keep both: the choice is
   * in the history's input, so they replay unchanged.
   */
  projectedStart?: ProjectedStart;
}

export interface ProjectedStart {
  /** When the starter recorded the start: the row's `startedAt` and `instance.startedAt` in expressions. */
  startedAt: string;
}

export interface RunProcessOptions {
  /**
   * Continue-as-new between iterations of a top-level `repeat` once the history has this many
   * events, besides the server's own `continueAsNewSuggested` (tests lower it).
   */
  continueAsNewAfterEvents?: number;
}

/** State carried across continue-as-new: enough to resume where the last run stopped. */
export interface CarriedState {
  vars: Record<string, Json>;
  steps: Record<string, Json>;
  /** The step path to resume at (a repeat loop) and its iteration count so far. */
  resume: { path: string; iteration: number };
  timelineSeq: number;
  startedAt: string;
  /** Buffered events no `receive` has taken yet, and the ids already seen (dedupe). */
  events?: InstanceEvent[];
  seenEventIds?: string[];
  /** The compensation stack, bottom first. */
  compensations?: CarriedCompensation[];
}

/** One stacked undo: the `compensate` steps of a `call` that succeeded, with what they may read. */
export interface CarriedCompensation {
  stepId: string;
  path: string;
  steps: StepPlan[];
  /** The call's result, visible to the undo steps as `steps.<stepId>`. */
  result: Json;
  /** Loop variables in force when the call ran. */
  locals: Record<string, Json>;
  iteration: number[];
}

export interface ProcessResult {
  status: 'completed';
  result: Json;
  vars: Record<string, Json>;
}

/** Completes a human task. The validator rejects an unknown or closed task, an unknown outcome or invalid form data before anything is recorded. */
export const completeTaskUpdate = defineUpdate<TaskCompletion, [CompleteTaskArgs]>('completeTask');
/** Takes an open task for oneself (must be a candidate). */
export const claimTaskUpdate = defineUpdate<TaskView, [{ taskId: string; actor: Actor }]>('claimTask');
/** Hands an open task to another user (assignee or manager). */
export const delegateTaskUpdate = defineUpdate<TaskView, [{ taskId: string; actor: Actor; to: string }]>(
  'delegateTask',
);

/** Gives a task one was assigned back to its candidates (unassigned, in their queue again). */
export const releaseTaskUpdate = defineUpdate<TaskView, [{ taskId: string; actor: Actor }]>('releaseTask');

/** Changes variables of an instance in incident (an operator's fix before a retry). */
export const setVariablesUpdate = defineUpdate<Record<string, Json>, [{ vars: Record<string, Json>; actor: Actor }]>(
  'setVariables',
);
/** Runs the steps held in incident again (`retry`) or ends the instance as failed (`fail`). */
export const resolveIncidentUpdate = defineUpdate<{ steps: string[] }, [{ decision: 'retry' | 'fail'; actor: Actor }]>(
  'resolveIncident',
);

/** External events for `receive` steps. */
export const eventSignal = defineSignal<[InstanceEvent]>('event');

export const stateQuery = defineQuery<InstanceState>('state');
export const timelineQuery = defineQuery<TimelineEntry[]>('timeline');
