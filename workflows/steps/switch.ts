import type { SwitchStep } from '../../dsl/plan';
import type { StepExecutor } from './context';

/** Runs the first case whose `when` holds, else `otherwise`. Result: `{ branch: index | 'otherwise' | null }`. */
export const runSwitch: StepExecutor<SwitchStep> = async (step, { instance, frame, runSteps }) => {
  const index = step.cases.findIndex((branch) => instance.holds(branch.when, frame));
  const chosen = step.cases[index];
  if (chosen) {
    await runSteps(chosen.steps, frame);
    return { branch: index };
  }
  if (!step.otherwise) return { branch: null };
  await runSteps(step.otherwise, frame);
  return { branch: 'otherwise' };
};
