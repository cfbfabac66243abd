import { didYouMean, suggestName } from '../suggest';
import type { LintRule } from './rule';

/** Activities are an allow-list: a call names one from the catalog. */
export const unknownActivity: LintRule = {
  name: 'unknown-activity',
  codes: ['call.unknown-activity'],
  check({ model, report }) {
    const known = Object.keys(model.catalog);
    for (const step of model.steps) {
      if (step.plan?.kind !== 'call' || step.plan.activity === '' || Object.hasOwn(model.catalog, step.plan.activity))
        continue;
      const activity = step.plan.activity;
      report(
        'call.unknown-activity',
        [...step.path, 'call'],
        `'${activity}' is not an activity in the registry${didYouMean(activity, known)} (known: ${known.join(', ')})`,
        { fix: suggestName(activity, known) },
      );
    }
  },
};
