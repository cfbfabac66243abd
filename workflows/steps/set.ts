import type { Json, SetStep } from '../../dsl/plan';
import type { StepExecutor } from './context';

/** Renders every value against the scope before the step, then merges them into `vars`. */
export const runSet: StepExecutor<SetStep> = async (step, { instance, frame }) => {
  const values: Record<string, Json> = {};
  for (const [name, template] of Object.entries(step.vars)) values[name] = instance.render(template, frame);
  Object.assign(instance.vars, values);
  return values;
};
