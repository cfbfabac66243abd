import type { LintRule } from './rule';

/** `mode: n` waits for n branches: at least one, at most as many as there are; `n` means nothing in other modes. */
export const parallelN: LintRule = {
  name: 'parallel-n',
  codes: ['parallel.invalid-n'],
  check({ model, report }) {
    for (const step of model.steps) {
      const plan = step.plan;
      if (plan?.kind !== 'parallel' || plan.n === undefined) continue;
      const at = [...step.path, 'parallel', 'n'];
      if (plan.mode !== 'n')
        report('parallel.invalid-n', at, `n applies only to mode: n (this parallel step has mode: ${plan.mode})`);
      else if (plan.n > plan.branches.length)
        report(
          'parallel.invalid-n',
          at,
          `n is ${plan.n} but there are only ${plan.branches.length} branches, so the step could never finish`,
        );
    }
  },
};
