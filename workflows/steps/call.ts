import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { CallStep, Json } from '../../dsl/plan';
import type { StepExecutor } from './context';

type AnyActivity = (params: Json) => Promise<Json | undefined>;

// One proxy per step path, built on first use: a proxy only holds the options.
const proxies = new Map<string, Record<string, AnyActivity>>();

/**
 * Calls the step's activity with the rendered `with`, under the step's own timeout and retry
 * policy. On success its `compensate` steps go onto the saga stack.
 */
export const runCall: StepExecutor<CallStep> = async (step, { instance, frame }) => {
  const params = instance.render(step.with, frame);
  const activity = activityFor(step);
  const result = (await activity(params)) ?? null;
  if (step.compensate && step.compensate.length > 0 && !frame.compensating) {
    instance.compensations.push({
      stepId: step.id,
      path: step.path,
      steps: step.compensate,
      result,
      locals: frame.locals,
      iteration: frame.iteration,
    });
  }
  return result;
};

function activityFor(step: CallStep): AnyActivity {
  const key = `${step.path}|${step.activity}`;
  let proxy = proxies.get(key);
  if (!proxy) {
    proxy = proxyActivities<Record<string, AnyActivity>>(activityOptions(step));
    proxies.set(key, proxy);
  }
  return proxy[step.activity] as AnyActivity;
}

function activityOptions(step: CallStep): ActivityOptions {
  const { retry } = step;
  return {
    startToCloseTimeout: step.timeoutMs,
    retry: {
      // 0 in the plan is "no limit", which the SDK spells as leaving the field out.
      ...(retry.maximumAttempts > 0 ? { maximumAttempts: retry.maximumAttempts } : {}),
      initialInterval: retry.initialIntervalMs,
      backoffCoefficient: retry.backoffCoefficient,
      maximumInterval: retry.maximumIntervalMs,
      ...(retry.nonRetryableErrorTypes ? { nonRetryableErrorTypes: retry.nonRetryableErrorTypes } : {}),
    },
  };
}
