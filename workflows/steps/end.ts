import type { EndStep } from '../../dsl/plan';
import { EndInstance } from '../failure';
import type { StepExecutor } from './context';

/** Finishes the instance now, from however deep it is: the top level completes it with `result`. */
export const runEnd: StepExecutor<EndStep> = async (step, { instance, frame }) => {
  throw new EndInstance(step.result === undefined ? null : instance.render(step.result, frame));
};
