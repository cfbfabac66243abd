import { STEP_KINDS } from '../plan';
import { didYouMean, listOf, suggestName } from '../suggest';
import type { LintRule } from './rule';

/** A step is of exactly one kind, named by its key (`call:`, `task:`, …). */
export const unknownStepKind: LintRule = {
  name: 'unknown-step-kind',
  codes: ['step.unknown-kind', 'step.ambiguous-kind'],
  check({ model, report }) {
    for (const step of model.steps) {
      const name = step.id !== undefined ? `step '${step.id}'` : 'this step';
      if (step.kindKeys.length > 1) {
        report(
          'step.ambiguous-kind',
          [...step.path, step.kindKeys[1] ?? ''],
          `${name} has more than one kind (${listOf(step.kindKeys)}); split it into one step per kind`,
          { atKey: true },
        );
      } else if (step.kindKeys.length === 0) {
        const stray = step.strayKeys[0];
        report(
          'step.unknown-kind',
          stray !== undefined ? [...step.path, stray] : step.path,
          stray !== undefined
            ? `'${stray}' is not a step kind${didYouMean(stray, STEP_KINDS)}; a step is one of ${listOf([...STEP_KINDS])}`
            : `${name} has no kind; give it one of ${listOf([...STEP_KINDS])}`,
          { atKey: stray !== undefined, fix: stray !== undefined ? suggestName(stray, STEP_KINDS) : undefined },
        );
      }
    }
  },
};
