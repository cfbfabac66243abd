import { isRecord } from '../steps/step-kind';
import type { LintRule } from './rule';

/**
 * Escalations exist to rescue the due date: one whose `after` (counted from when the task opens)
 * is later than the task's `due` fires only once the task is already overdue. A warning, since a
 * late rung can be deliberate ("tell the manager a day after the deadline passed"). Only literal
 * durations are compared: an expression's value is known when the task opens, not at publish time.
 */
export const escalationAfterDue: LintRule = {
  name: 'escalation-after-due',
  codes: ['escalation.after-due'],
  check({ model, report }) {
    for (const step of model.steps) {
      if (step.plan?.kind !== 'task' || !step.plan.escalate) continue;
      const dueMs = step.plan.dueMs;
      if (dueMs === undefined) continue;
      const task = isRecord(step.raw.task) ? step.raw.task : {};
      const rungs = Array.isArray(task.escalate) ? task.escalate : [];
      step.plan.escalate.forEach((rung, i) => {
        if (rung.afterMs === undefined || rung.afterMs <= dueMs || rung.afterMs === 0) return;
        const raw = rungs[i];
        const after = isRecord(raw) ? String(raw.after) : '';
        report(
          'escalation.after-due',
          [...step.path, 'task', 'escalate', i, 'after'],
          `escalation after ${after} fires after the task is already due (due: ${String(task.due)}); escalate before the due time, or move the due time`,
        );
      });
    }
  },
};
