import type { ProcessPlan, StepPlan } from '../../../../dsl/plan';

/** Every step of a plan, depth first in source order (containers before what they hold), `onFailure` last. */
export function planSteps(plan: ProcessPlan): StepPlan[] {
  const out: StepPlan[] = [];
  const visit = (steps: readonly StepPlan[] | undefined) => {
    for (const step of steps ?? []) {
      out.push(step);
      switch (step.kind) {
        case 'switch':
          for (const branch of step.cases) visit(branch.steps);
          visit(step.otherwise);
          break;
        case 'parallel':
          for (const branch of step.branches) visit(branch.steps);
          break;
        case 'forEach':
        case 'repeat':
          visit(step.steps);
          break;
        case 'receive':
          visit(step.onTimeout);
          break;
        case 'call':
          visit(step.compensate);
          break;
        default:
          break;
      }
      visit(step.onError?.steps);
    }
  };
  visit(plan.steps);
  visit(plan.onFailure);
  return out;
}
