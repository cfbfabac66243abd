import type { LintRule } from './rule';

/** A switch without `otherwise` silently does nothing when no case matches; say so with `otherwise: []`. */
export const switchDefault: LintRule = {
  name: 'switch-default',
  codes: ['switch.no-default'],
  check({ model, report }) {
    for (const step of model.steps) {
      if (step.plan?.kind !== 'switch' || step.plan.otherwise !== undefined) continue;
      report(
        'switch.no-default',
        [...step.path, 'switch'],
        `switch '${step.plan.id}' has no otherwise case: when no case matches nothing runs; add { otherwise: [...] } (or otherwise: [] if that is intended)`,
      );
    }
  },
};
