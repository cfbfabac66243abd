import type { StepRecord } from '../model';
import type { StepPlan } from '../plan';
import type { LintRule } from './rule';

/**
 * Steps after an unconditional `end` or `fail` (or after a switch whose every case, `otherwise`
 * included, ends that way) never run. A warning, not an error: the process still does what its
 * reachable steps say, but the designer most likely expected these to run.
 */
export const unreachableSteps: LintRule = {
  name: 'unreachable-steps',
  codes: ['step.unreachable'],
  check({ model, report }) {
    for (const sequence of model.sequences) {
      const stopper = sequence.steps.findIndex((step) => step.plan !== undefined && terminates(step.plan));
      if (stopper === -1) continue;
      const after = sequence.steps.slice(stopper + 1);
      const by = describe(sequence.steps[stopper]!);
      for (const step of after) {
        report(
          'step.unreachable',
          step.path,
          `${step.id !== undefined ? `step '${step.id}'` : 'this step'} never runs: ${by} ends the process before it`,
        );
      }
    }
  },
};

function terminates(step: StepPlan): boolean {
  if (step.if !== undefined || step.onError?.then === 'continue') return false;
  if (step.kind === 'end' || step.kind === 'fail') return true;
  if (step.kind === 'switch') {
    return (
      step.otherwise !== undefined &&
      [...step.cases.map((c) => c.steps), step.otherwise].every((steps) => steps.some(terminates))
    );
  }
  return false;
}

function describe(step: StepRecord): string {
  const name = step.id !== undefined ? `'${step.id}'` : 'the step';
  return step.kind === 'switch' ? `every case of switch ${name}` : `${step.kind} step ${name}`;
}
