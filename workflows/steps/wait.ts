import { sleep } from '@temporalio/workflow';
import type { WaitStep } from '../../dsl/plan';
import { processFailure } from '../failure';
import { flushProjection } from '../projection';
import type { StepExecutor } from './context';

/** A durable timer: `durationMs`, or until the ISO timestamp `until` evaluates to (past → no wait). */
export const runWait: StepExecutor<WaitStep> = async (step, { instance, frame }) => {
  const startedAt = new Date().getTime();
  let target = startedAt + (step.durationMs ?? 0);
  if (step.until) {
    const until = instance.evaluate(step.until, frame);
    const parsed = typeof until === 'string' ? Date.parse(until) : Number.NaN;
    if (Number.isNaN(parsed))
      throw processFailure(
        'wait.invalid-time',
        `step ${step.id}: ${JSON.stringify(until)} is not an ISO 8601 timestamp`,
      );
    target = parsed;
  }
  const waitMs = Math.max(0, target - startedAt);
  if (waitMs > 0) {
    await flushProjection(instance);
    await sleep(waitMs);
  }
  return { waitedMs: waitMs, until: new Date(target).toISOString() };
};
