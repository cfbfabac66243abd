import type { LintRule } from './rule';

/** Durations are ISO 8601 with a fixed length (no months or years), and longer than zero. */
export const durations: LintRule = {
  name: 'durations',
  codes: ['duration.invalid', 'duration.negative', 'duration.zero'],
  check({ model, report }) {
    for (const site of model.durations) {
      if (!site.result.ok) report(site.result.code, site.path, site.result.message);
    }
  },
};
