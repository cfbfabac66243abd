import { allHandlersFinished, ApplicationFailure, CancellationScope, condition, log } from '@temporalio/workflow';
import type { Json } from '../dsl/plan';
import { describeFailure, stepErrorOf, type StepError } from './failure';
import { extendFrame, type Frame } from './frame';
import type { ProcessResult } from './messages';
import type { ProcessInstance } from './process-instance';
import { setStatus } from './process-status';
import { flushProjection } from './projection';
import { runSteps } from './sequence';
import { cancelTask } from './steps/task';

/** Completed (end of plan or an `end` step): close leftovers, project, return the result. */
export async function finishCompleted(instance: ProcessInstance, result: Json): Promise<ProcessResult> {
  await closeOpenTasks(instance, 'instance completed');
  await settle();
  setStatus(instance, 'completed');
  instance.timeline.add('instance.completed', { detail: { result } });
  await flushProjection(instance, { result });
  return { status: 'completed', result, vars: instance.vars };
}

/**
 * Failed: the compensation stack in reverse, then `plan.onFailure` with `error` bound, all in a
 * non-cancellable scope; then the workflow fails with an ApplicationFailure typed by the code.
 */
export async function finishFailed(instance: ProcessInstance, cause: unknown): Promise<never> {
  const error = stepErrorOf(cause);
  await CancellationScope.nonCancellable(async () => {
    await compensate(instance);
    if (instance.plan.onFailure) await runOnFailure(instance, error);
    await closeOpenTasks(instance, 'instance failed');
    await settle();
    setStatus(instance, 'failed');
    instance.timeline.add('instance.failed', { detail: { ...error } });
    await flushProjection(instance, { error });
  });
  throw ApplicationFailure.create({
    type: error.code,
    message: error.message,
    nonRetryable: true,
    cause: cause as Error,
  });
}

/** Cancelled (Temporal cancel): compensate, close open tasks, project, then end as cancelled. */
export async function finishCancelled(instance: ProcessInstance, cancellation: unknown): Promise<never> {
  await CancellationScope.nonCancellable(async () => {
    await compensate(instance);
    await closeOpenTasks(instance, 'instance cancelled');
    await settle();
    setStatus(instance, 'cancelled');
    instance.timeline.add('instance.cancelled');
    await flushProjection(instance);
  });
  throw cancellation;
}

async function compensate(instance: ProcessInstance): Promise<void> {
  await instance.compensations.unwind(
    async (entry) => {
      instance.timeline.add('compensation.started', { stepId: entry.stepId, path: entry.path });
      const frame: Frame = {
        results: { [entry.stepId]: entry.result },
        outer: [instance.steps],
        locals: entry.locals,
        iteration: entry.iteration,
        compensating: true,
      };
      await runSteps(instance, entry.steps, frame);
      instance.timeline.add('compensation.completed', { stepId: entry.stepId, path: entry.path });
    },
    (entry, failure) => {
      // One failed undo must not stop the others; the timeline records it.
      log.warn('compensation failed', { stepId: entry.stepId, error: String(failure) });
      instance.timeline.add('step.failed', {
        stepId: entry.stepId,
        path: entry.path,
        detail: { compensation: true, ...describeFailure(failure) },
      });
    },
  );
}

async function runOnFailure(instance: ProcessInstance, error: StepError): Promise<void> {
  try {
    await runSteps(instance, instance.plan.onFailure ?? [], {
      ...extendFrame(instance.root, { error: { ...error } }),
      guarded: true,
    });
  } catch (failure) {
    log.warn('onFailure steps failed', { error: String(failure) });
  }
}

/** Tasks still open when the instance ends (e.g. an `end` while a task waited elsewhere). */
async function closeOpenTasks(instance: ProcessInstance, reason: string): Promise<void> {
  for (const record of instance.tasks.open()) await cancelTask(instance, record, reason);
}

/** Update handlers still projecting must finish first (their timeline entries go in the last flush). */
async function settle(): Promise<void> {
  await condition(allHandlersFinished);
}
