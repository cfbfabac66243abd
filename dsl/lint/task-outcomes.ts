import type { LintRule } from './rule';

/** A task is completed with one of its outcomes; without any it could never be completed. */
export const taskOutcomes: LintRule = {
  name: 'task-outcomes',
  codes: ['task.no-outcomes'],
  check({ model, report }) {
    for (const step of model.steps) {
      if (step.plan?.kind !== 'task' || step.plan.outcomes.length > 0) continue;
      const hasKey = typeof step.raw.task === 'object' && step.raw.task !== null && 'outcomes' in step.raw.task;
      report(
        'task.no-outcomes',
        hasKey ? [...step.path, 'task', 'outcomes'] : [...step.path, 'task'],
        `task '${step.plan.id}' has no outcomes, so it can never be completed; list them, e.g. outcomes: [approved, rejected]`,
        { atKey: !hasKey },
      );
    }
  },
};
