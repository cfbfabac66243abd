import { CancellationScope, condition } from '@temporalio/workflow';
import type { Json, ParallelStep } from '../../dsl/plan';
import { nestedFrame } from '../frame';
import type { StepExecutor } from './context';

/**
 * Branches run concurrently, each in its own CancellationScope and results frame.
 * `all` waits for every branch, `any` for the first, `n` for the first n; the others are
 * cancelled (a cancelled task tells the projection) and awaited before the step returns.
 * A branch failure cancels the rest and fails the step.
 *
 * Result: `{ completed: [branch ids in finishing order], cancelled: [branch ids],
 * branches: { <branchId>: { <stepId>: result } } }` (only completed branches). The completed
 * branches' step results are also visible afterwards as `steps.<stepId>`. Branches finishing in
 * the same activation all count, so `completed` may hold more than n.
 */
export const runParallel: StepExecutor<ParallelStep> = async (step, { frame, runSteps }) => {
  const needed =
    step.mode === 'all' ? step.branches.length : step.mode === 'any' ? 1 : Math.min(step.n ?? 1, step.branches.length);
  const completed: string[] = [];
  const branches: Record<string, Record<string, Json>> = {};
  let failure: { error: unknown } | null = null;
  const scopes = step.branches.map(() => new CancellationScope());
  const running = step.branches.map((branch, index) => {
    const scope = scopes[index] as CancellationScope;
    const branchFrame = nestedFrame(frame);
    return scope
      .run(() => runSteps(branch.steps, branchFrame))
      .then(
        () => {
          completed.push(branch.id);
          branches[branch.id] = branchFrame.results;
        },
        (error: unknown) => {
          // A branch we cancelled ends with a cancellation: that is the plan, not a failure.
          if (!scope.consideredCancelled) failure ??= { error };
        },
      );
  });
  try {
    await condition(() => completed.length >= needed || failure !== null);
  } finally {
    for (const [index, branch] of step.branches.entries()) {
      if (!completed.includes(branch.id)) scopes[index]?.cancel();
    }
    await Promise.all(running);
  }
  if (failure) throw (failure as { error: unknown }).error;
  for (const id of completed) Object.assign(frame.results, branches[id]);
  return {
    completed,
    cancelled: step.branches.map((branch) => branch.id).filter((id) => !completed.includes(id)),
    branches,
  };
};
