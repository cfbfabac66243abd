import type { FailStep } from '../../dsl/plan';
import { processFailure } from '../failure';
import { asText } from '../task-schedule';
import type { StepExecutor } from './context';

/** A business failure with the step's code: `onError` may catch it, else the instance fails with it. */
export const runFail: StepExecutor<FailStep> = async (step, { instance, frame }) => {
  throw processFailure(step.code, asText(instance.render(step.message, frame)) ?? step.code);
};
