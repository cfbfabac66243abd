import type { RepeatStep } from '../../dsl/plan';
import { continueAtRepeat, historyIsLong, mayContinueAsNewAt } from '../continue-as-new';
import { processFailure } from '../failure';
import { extendFrame } from '../frame';
import type { StepExecutor } from './context';

/**
 * Runs the steps, then checks `until`; ends when it holds. After `maxIterations` iterations
 * with `until` still false the step fails with `repeat.max-iterations`. The steps write into
 * the enclosing results, so `until` reads this iteration's `steps.<id>`; `iteration` (0-based,
 * the one just run) is bound for `until`. A top-level repeat continues-as-new between
 * iterations when the history grows long and resumes at the next iteration.
 * Result: `{ iterations }`.
 */
export const runRepeat: StepExecutor<RepeatStep> = async (step, { instance, frame, runSteps }) => {
  let iteration = 0;
  if (instance.resume?.path === step.path) {
    iteration = instance.resume.iteration;
    instance.resume = null;
  }
  for (;;) {
    await runSteps(step.steps, extendFrame(frame, {}, iteration));
    const done = instance.holds(step.until, extendFrame(frame, { iteration }));
    iteration++;
    if (done) return { iterations: iteration };
    if (iteration >= step.maxIterations) {
      throw processFailure(
        'repeat.max-iterations',
        `step ${step.id}: 'until' still false after ${step.maxIterations} iterations`,
      );
    }
    if (mayContinueAsNewAt(instance, step, frame) && historyIsLong(instance))
      await continueAtRepeat(instance, step, iteration);
  }
};
