import type { ProcessPlan, StepPlan } from '../../../../dsl/plan';
import { walkSteps } from './plan-walk';

export interface ChangedSteps {
  from: Record<string, 'removed' | 'changed'>;
  to: Record<string, 'added' | 'changed'>;
}

/**
 * What a step says itself, without where it sits (`path`) and with nested steps by id only: a
 * container whose content is edited is not changed, one whose list of steps is reordered is.
 */
function ownContent(step: StepPlan): string {
  return JSON.stringify(step, (key, value: unknown) => {
    if (key === 'path') return undefined;
    if (Array.isArray(value) && value.length > 0 && value.every(isStep))
      return value.map((inner: StepPlan) => inner.id);
    return value;
  });
}

function isStep(value: unknown): value is StepPlan {
  return value !== null && typeof value === 'object' && 'kind' in value && 'path' in value && 'id' in value;
}

function stepsById(plan: ProcessPlan): Map<string, StepPlan> {
  const byId = new Map<string, StepPlan>();
  walkSteps(plan, (step) => byId.set(step.id, step));
  return byId;
}

/** The steps that differ between two versions, matched by id (paths shift when a step is inserted), by path in each. */
export function changedSteps(from: ProcessPlan, to: ProcessPlan): ChangedSteps {
  const before = stepsById(from);
  const after = stepsById(to);
  const result: ChangedSteps = { from: {}, to: {} };
  for (const [id, step] of before) {
    const now = after.get(id);
    if (!now) result.from[step.path] = 'removed';
    else if (ownContent(step) !== ownContent(now)) {
      result.from[step.path] = 'changed';
      result.to[now.path] = 'changed';
    }
  }
  for (const [id, step] of after) if (!before.has(id)) result.to[step.path] = 'added';
  return result;
}
