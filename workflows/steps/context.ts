import type { Json, StepKind, StepPlan } from '../../dsl/plan';
import type { Frame } from '../frame';
import type { ProcessInstance } from '../process-instance';

/** What a step executor gets: the instance, where it runs, and a way to run nested steps. */
export interface StepContext {
  instance: ProcessInstance;
  frame: Frame;
  /** Runs a sequence of steps in a frame (the interpreter's own loop: if, onError, timeline). */
  runSteps(steps: StepPlan[], frame: Frame): Promise<void>;
}

/** Runs one step kind and returns its result (stored as `steps.<id>`). */
export type StepExecutor<S extends StepPlan> = (step: S, context: StepContext) => Promise<Json>;

export type StepExecutors = { [K in StepKind]: StepExecutor<Extract<StepPlan, { kind: K }>> };
