import { STEP_KINDS, type ProcessPlan, type StepPlan } from '../dsl/plan';

const KINDS: ReadonlySet<string> = new Set(STEP_KINDS);

/**
 * Every step of a plan wherever it nests (cases, branches, loops, onError, onTimeout,
 * compensate, onFailure), by path: found by shape, so a new nesting needs no change here.
 */
export function stepsByPath(plan: ProcessPlan): Map<string, StepPlan> {
  const found = new Map<string, StepPlan>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const candidate = value as Partial<StepPlan>;
    if (typeof candidate.kind === 'string' && KINDS.has(candidate.kind) && typeof candidate.path === 'string') {
      found.set(candidate.path, candidate as StepPlan);
    }
    for (const nested of Object.values(value)) if (nested && typeof nested === 'object') visit(nested);
  };
  visit(plan.steps);
  visit(plan.onFailure ?? []);
  return found;
}
