import { isRecord } from '../steps/step-kind';
import type { LintRule } from './rule';

/** A sequential forEach runs one iteration at a time: there is nothing running to cancel early. */
export const completionSequential: LintRule = {
  name: 'completion-sequential',
  codes: ['forEach.completion-sequential'],
  check({ model, report }) {
    for (const step of model.steps) {
      if (step.plan?.kind !== 'forEach' || step.plan.concurrent) continue;
      if (!isRecord(step.raw.forEach) || step.raw.forEach.completion === undefined) continue;
      report(
        'forEach.completion-sequential',
        [...step.path, 'forEach', 'completion'],
        'completion applies only to a concurrent forEach (add `concurrent: true`, or end a sequential loop with `if` on its steps)',
      );
    }
  },
};
