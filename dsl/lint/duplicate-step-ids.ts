import { lineColumnAt } from '../diagnostics';
import { isRecord } from '../steps/step-kind';
import type { LintRule } from './rule';

/** Step ids are one namespace for the whole template (`steps.<id>`); branch ids are unique within their parallel step. */
export const duplicateStepIds: LintRule = {
  name: 'duplicate-step-ids',
  codes: ['step.duplicate-id'],
  check({ model, report, parsed }) {
    const firstLine = new Map<string, number>();
    for (const step of model.steps) {
      if (step.id === undefined) continue;
      const line = firstLine.get(step.id);
      if (line === undefined) firstLine.set(step.id, lineColumnAt(parsed.source, parsed.rangeOf(step.path)[0]).line);
      else
        report(
          'step.duplicate-id',
          [...step.path, 'id'],
          `step id '${step.id}' is already used at line ${line}; step ids must be unique in the whole template`,
        );
    }
    for (const step of model.steps) {
      if (step.kind !== 'parallel' || !isRecord(step.raw.parallel) || !Array.isArray(step.raw.parallel.branches))
        continue;
      const seen = new Set<string>();
      step.raw.parallel.branches.forEach((branch, i) => {
        if (!isRecord(branch) || typeof branch.id !== 'string') return;
        if (seen.has(branch.id))
          report(
            'step.duplicate-id',
            [...step.path, 'parallel', 'branches', i, 'id'],
            `branch id '${branch.id}' is used twice in this parallel step`,
          );
        seen.add(branch.id);
      });
    }
  },
};
