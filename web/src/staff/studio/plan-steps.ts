import type { ProcessPlan, StepPlan } from '../../../../dsl/plan';
import { walkSteps } from '../diagram/plan-walk';

/** Every step of a plan as a list, in the diagram's walk order (parents first, `onFailure` last). */
export function planSteps(plan: ProcessPlan): StepPlan[] {
  const steps: StepPlan[] = [];
  walkSteps(plan, (step) => steps.push(step));
  return steps;
}
