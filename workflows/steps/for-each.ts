import { CancellationScope, isCancellation } from '@temporalio/workflow';
import type { ForEachStep, Json } from '../../dsl/plan';
import { processFailure } from '../failure';
import { extendFrame, nestedFrame, withdrawableFrame, type Frame, type WithdrawalMark } from '../frame';
import type { StepExecutor } from './context';

/**
 * Runs the steps once per item of the evaluated list, with the item bound to `as` and its
 * position to `index`; one after another, or concurrently with at most `maxConcurrency`
 * iterations in flight (default: all). Each iteration has its own results frame (its steps
 * see each other, not the other iterations). Result: one `{ <stepId>: result }` per item, in
 * item order. The first failing iteration cancels the running ones and fails the step.
 *
 * Concurrent with `completion`: checked in each finishing iteration's frame (with `completed`
 * and `total`); when true the running iterations are withdrawn (their open tasks closed, their
 * people told), none is started any more, and the step completes. Their places in the result
 * stay `null`: a `null` is an iteration that was withdrawn or never started.
 */
export const runForEach: StepExecutor<ForEachStep> = async (step, context) => {
  const items = context.instance.evaluate(step.items, context.frame);
  if (!Array.isArray(items))
    throw processFailure('forEach.not-a-list', `step ${step.id}: items is ${JSON.stringify(items)}, not a list`);
  const results: Json[] = new Array<Json>(items.length).fill(null);
  const mark: WithdrawalMark = { withdrawn: false };
  let completed = 0;
  const runIteration = async (index: number): Promise<boolean> => {
    const iteration = nestedFrame(context.frame, { [step.as]: items[index] ?? null, index }, index);
    const frame: Frame = step.completion ? withdrawableFrame(iteration, mark) : iteration;
    await context.runSteps(step.steps, frame);
    results[index] = frame.results;
    completed += 1;
    if (!step.concurrent || !step.completion || mark.withdrawn) return false;
    return context.instance.holds(step.completion, extendFrame(frame, { completed, total: items.length }));
  };
  if (step.concurrent) await runConcurrently(items.length, step.maxConcurrency ?? items.length, runIteration, mark);
  else for (let index = 0; index < items.length; index++) await runIteration(index);
  return results;
};

/**
 * A bounded pool of `limit` lanes pulling the next index; the first failure stops them all, and so
 * does an iteration answering true (the rest are then withdrawn, see `mark`).
 */
async function runConcurrently(
  count: number,
  limit: number,
  run: (index: number) => Promise<boolean>,
  mark: WithdrawalMark,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const scope = new CancellationScope();
  const lane = async (): Promise<void> => {
    while (next < count && !failure && !mark.withdrawn) {
      const index = next++;
      try {
        if (await run(index)) {
          mark.withdrawn = true;
          scope.cancel();
        }
      } catch (error) {
        // Withdrawn iterations end with a cancellation: that is the plan, not a failure.
        if (mark.withdrawn && isCancellation(error)) continue;
        if (!scope.consideredCancelled || !failure) failure ??= { error };
        scope.cancel();
      }
    }
  };
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, count)) }, () => scope.run(lane));
  await Promise.all(lanes);
  if (failure) throw (failure as { error: unknown }).error;
}
