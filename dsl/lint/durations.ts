import type { LintRule } from './rule';

/**
 * Durations are ISO 8601 with a fixed length (no months or years), and longer than zero. Only
 * literal durations are recorded in the model: where a task timing is an expression (`due: =…`),
 * its type is the expressions rule's business and its value is checked when the task opens.
 */
export const durations: LintRule = {
  name: 'durations',
  codes: ['duration.invalid', 'duration.negative', 'duration.zero'],
  check({ model, report }) {
    for (const site of model.durations) {
      if (!site.result.ok) report(site.result.code, site.path, site.result.message);
    }
  },
};
