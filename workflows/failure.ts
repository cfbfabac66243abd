import {
  ActivityFailure,
  ApplicationFailure,
  ChildWorkflowFailure,
  ContinueAsNew,
  TemporalFailure,
  TimeoutFailure,
  isCancellation,
} from '@temporalio/workflow';
import type { Json } from '../dsl/plan';

/** The code and message of a failure (activity, child, timeout, expression, `fail` step). */
export interface FailureDescription {
  code: string;
  message: string;
}

/** What an `onError` block and `plan.onFailure` see as `error`: the failure and the step it failed in. */
export interface StepError extends FailureDescription {
  /** The innermost step that failed; empty when the failure came before any step (plan vars). */
  stepId: string;
}

// Both keyed by the failure object itself: it travels up through the enclosing steps unchanged.
const failedSteps = new WeakMap<object, string>();
const finalFailures = new WeakSet<object>();

/** Remembers the innermost step a failure came from (the first step to see it). */
export function noteFailedStep(error: unknown, stepId: string): void {
  if (typeof error === 'object' && error !== null && !failedSteps.has(error)) failedSteps.set(error, stepId);
}

/** The failure as `error` binds it: code, message and the step it came from. */
export function stepErrorOf(error: unknown): StepError {
  const stepId = typeof error === 'object' && error !== null ? failedSteps.get(error) : undefined;
  return { ...describeFailure(error), stepId: stepId ?? '' };
}

/**
 * A failure the template or an operator chose (a `fail` step, `onError` with `then: fail`, an
 * operator failing an incident): it ends the instance as failed instead of holding an incident.
 */
export function markFinal<E>(error: E): E {
  if (typeof error === 'object' && error !== null) finalFailures.add(error);
  return error;
}

export function isFinal(error: unknown): boolean {
  return typeof error === 'object' && error !== null && finalFailures.has(error);
}

/** Thrown by an `end` step; the interpreter's top level turns it into a completed instance. */
export class EndInstance extends Error {
  constructor(readonly result: Json) {
    super('end step reached');
    this.name = 'EndInstance';
  }
}

/** A business failure with a stable code: a non-retryable ApplicationFailure typed by the code. */
export function processFailure(code: string, message: string, details?: Json): ApplicationFailure {
  return ApplicationFailure.create({
    type: code,
    message,
    nonRetryable: true,
    details: details === undefined ? [] : [details],
  });
}

/** `end` and continue-as-new unwind the stack on purpose: no `onError` may catch them. */
export function isControlFlow(error: unknown): boolean {
  return error instanceof EndInstance || error instanceof ContinueAsNew;
}

/**
 * Failures the process itself produced (activities, children, timeouts, `fail` steps,
 * expressions): these fail the step / the instance. Anything else is a bug in the interpreter
 * and is rethrown as is, so the workflow task fails and retries until a fixed worker replays it.
 */
export function isProcessFailure(error: unknown): boolean {
  return error instanceof TemporalFailure && !isCancellation(error);
}

/** The code and message of a failure, looking through activity and child wrappers. */
export function describeFailure(error: unknown): FailureDescription {
  if (error instanceof ActivityFailure || error instanceof ChildWorkflowFailure) {
    if (error.cause) return describeFailure(error.cause);
    return { code: error instanceof ActivityFailure ? 'activity.failed' : 'process.failed', message: error.message };
  }
  if (error instanceof ApplicationFailure) return { code: error.type ?? 'error', message: error.message };
  if (error instanceof TimeoutFailure) return { code: 'timeout', message: error.message };
  if (error instanceof Error) return { code: 'internal', message: error.message };
  return { code: 'internal', message: String(error) };
}
