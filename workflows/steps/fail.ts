import type { FailStep } from '../../dsl/plan';
import { markFinal, processFailure } from '../failure';
import { asText } from '../task-schedule';
import type { StepExecutor } from './context';

/** A business failure with the step's code: `onError` may catch it, else the instance fails with it (never an incident). */
export const runFail: StepExecutor<FailStep> = async (step, { instance, frame }) => {
  throw markFinal(processFailure(step.code, asText(instance.render(step.message, frame)) ?? step.code));
};
