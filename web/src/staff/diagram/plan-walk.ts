import type { ProcessPlan, StepPlan } from '../../../../dsl/plan';

/** Every step list nested directly in `step` (cases, branches, loop bodies, handlers), in template order. */
export function nestedStepLists(step: StepPlan): StepPlan[][] {
  const lists: StepPlan[][] = [];
  switch (step.kind) {
    case 'switch':
      lists.push(...step.cases.map((c) => c.steps));
      if (step.otherwise) lists.push(step.otherwise);
      break;
    case 'parallel':
      lists.push(...step.branches.map((b) => b.steps));
      break;
    case 'forEach':
    case 'repeat':
      lists.push(step.steps);
      break;
    case 'receive':
      if (step.onTimeout) lists.push(step.onTimeout);
      break;
    case 'call':
      if (step.compensate) lists.push(step.compensate);
      break;
    default:
      break;
  }
  if (step.onError) lists.push(step.onError.steps);
  return lists;
}

/** Visits every step of the plan, parents before their children, `onFailure` last. */
export function walkSteps(plan: ProcessPlan, visit: (step: StepPlan) => void): void {
  const walk = (steps: StepPlan[]) => {
    for (const step of steps) {
      visit(step);
      for (const list of nestedStepLists(step)) walk(list);
    }
  };
  walk(plan.steps);
  if (plan.onFailure) walk(plan.onFailure);
}
