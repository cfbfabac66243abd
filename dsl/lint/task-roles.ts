import type { Path } from '../path';
import { isRecord } from '../steps/step-kind';
import { didYouMean, suggestName } from '../suggest';
import type { LintRule } from './rule';

/** Literal role names in candidates and escalations must exist, when the caller knows the roles. */
export const taskRoles: LintRule = {
  name: 'task-roles',
  codes: ['task.unknown-role'],
  check({ model, roles, report }) {
    if (!roles) return;
    const checkRole = (value: unknown, at: Path) => {
      if (typeof value !== 'string' || value.startsWith('=') || roles.includes(value)) return;
      report('task.unknown-role', at, `unknown role '${value}'${didYouMean(value, roles)}`, {
        fix: suggestName(value, roles),
      });
    };
    for (const step of model.steps) {
      if (step.kind !== 'task' || !isRecord(step.raw.task)) continue;
      const task = step.raw.task;
      if (isRecord(task.candidates)) checkRole(task.candidates.role, [...step.path, 'task', 'candidates', 'role']);
      if (!Array.isArray(task.escalate)) continue;
      task.escalate.forEach((rung, i) => {
        if (isRecord(rung) && isRecord(rung.reassign))
          checkRole(rung.reassign.role, [...step.path, 'task', 'escalate', i, 'reassign', 'role']);
      });
    }
  },
};
