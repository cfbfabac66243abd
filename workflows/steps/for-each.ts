import { CancellationScope } from '@temporalio/workflow';
import type { ForEachStep, Json } from '../../dsl/plan';
import { processFailure } from '../failure';
import { nestedFrame } from '../frame';
import type { StepExecutor } from './context';

/**
 * Runs the steps once per item of the evaluated list, with the item bound to `as` and its
 * position to `index`; one after another, or concurrently with at most `maxConcurrency`
 * iterations in flight (default: all). Each iteration has its own results frame (its steps
 * see each other, not the other iterations). Result: one `{ <stepId>: result }` per item, in
 * item order. The first failing iteration cancels the running ones and fails the step.
 */
export const runForEach: StepExecutor<ForEachStep> = async (step, context) => {
  const items = context.instance.evaluate(step.items, context.frame);
  if (!Array.isArray(items))
    throw processFailure('forEach.not-a-list', `step ${step.id}: items is ${JSON.stringify(items)}, not a list`);
  const results: Json[] = new Array<Json>(items.length).fill(null);
  const runIteration = async (index: number): Promise<void> => {
    const frame = nestedFrame(context.frame, { [step.as]: items[index] ?? null, index }, index);
    await context.runSteps(step.steps, frame);
    results[index] = frame.results;
  };
  if (step.concurrent) await runConcurrently(items.length, step.maxConcurrency ?? items.length, runIteration);
  else for (let index = 0; index < items.length; index++) await runIteration(index);
  return results;
};

/** A bounded pool of `limit` lanes pulling the next index; the first failure stops them all. */
async function runConcurrently(count: number, limit: number, run: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const scope = new CancellationScope();
  const lane = async (): Promise<void> => {
    while (next < count && !failure) {
      const index = next++;
      try {
        await run(index);
      } catch (error) {
        if (!scope.consideredCancelled || !failure) failure ??= { error };
        scope.cancel();
      }
    }
  };
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, count)) }, () => scope.run(lane));
  await Promise.all(lanes);
  if (failure) throw (failure as { error: unknown }).error;
}
