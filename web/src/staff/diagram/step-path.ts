import type { ProcessPlan } from '../../../../dsl/plan';
import { walkSteps } from './plan-walk';

/** Whether `path` is `stepPath` or lies inside it (`steps[2]` holds `steps[2].task.due`, not `steps[21]`). */
function isWithin(path: string, stepPath: string): boolean {
  if (!path.startsWith(stepPath)) return false;
  const next = path.charAt(stepPath.length);
  return next === '' || next === '.' || next === '[';
}

/** The innermost step a diagnostic's path (e.g. `steps[2].task.assignee`) falls in, by its plan path; null outside every step. */
export function stepPathOf(diagnosticPath: string, plan: ProcessPlan): string | null {
  let innermost: string | null = null;
  walkSteps(plan, (step) => {
    if (isWithin(diagnosticPath, step.path) && (innermost === null || step.path.length > innermost.length)) {
      innermost = step.path;
    }
  });
  return innermost;
}

/** The plan path of the step with id `stepId`, or null. */
export function stepPathById(plan: ProcessPlan, stepId: string): string | null {
  let found: string | null = null;
  walkSteps(plan, (step) => {
    if (found === null && step.id === stepId) found = step.path;
  });
  return found;
}
