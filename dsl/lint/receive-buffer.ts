import type { LintRule } from './rule';

/**
 * `buffer: { after }` names the step whose finish opens the receive's window: a step of the same
 * template other than the receive itself, or the window would never open and early events would be
 * ignored without a word.
 */
export const receiveBuffer: LintRule = {
  name: 'receive-buffer',
  codes: ['receive.unknown-buffer-step'],
  check({ model, report }) {
    const ids = new Set(model.steps.flatMap((step) => (step.plan ? [step.plan.id] : [])));
    for (const step of model.steps) {
      const plan = step.plan;
      const after = plan?.kind === 'receive' ? plan.buffer?.after : undefined;
      if (after === undefined || after === null) continue;
      const at = [...step.path, 'receive', 'buffer', 'after'];
      if (after === plan!.id)
        report('receive.unknown-buffer-step', at, `a receive cannot buffer from its own finish ('${after}')`);
      else if (!ids.has(after))
        report(
          'receive.unknown-buffer-step',
          at,
          `no step '${after}' in this template: buffer.after names the step after whose finish events are kept`,
        );
    }
  },
};
