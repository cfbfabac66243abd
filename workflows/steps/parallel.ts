import { CancellationScope, condition } from '@temporalio/workflow';
import type { Json, ParallelStep } from '../../dsl/plan';
import { extendFrame, nestedFrame, withdrawableFrame, type WithdrawalMark } from '../frame';
import type { StepExecutor } from './context';

/**
 * Branches run concurrently, each in its own CancellationScope and results frame.
 * `all` waits for every branch, `any` for the first, `n` for the first n; a `completion`
 * condition, checked in the finishing branch's frame each time one finishes (with `completed`
 * and `total`), ends the step early when true. The others are withdrawn (their open tasks
 * closed, their people told) and awaited before the step returns. A branch failure cancels the
 * rest and fails the step.
 *
 * Result: `{ completed: [branch ids in finishing order], cancelled: [branch ids],
 * branches: { <branchId>: { <stepId>: result } } }` (only completed branches). The completed
 * branches' step results are also visible afterwards as `steps.<stepId>`. Branches finishing in
 * the same activation all count, so `completed` may hold more than n.
 */
export const runParallel: StepExecutor<ParallelStep> = async (step, { instance, frame, runSteps }) => {
  const needed =
    step.mode === 'all' ? step.branches.length : step.mode === 'any' ? 1 : Math.min(step.n ?? 1, step.branches.length);
  const completed: string[] = [];
  const branches: Record<string, Record<string, Json>> = {};
  let failure: { error: unknown } | null = null;
  let decided = false;
  const scopes = step.branches.map(() => new CancellationScope());
  const marks: WithdrawalMark[] = step.branches.map(() => ({ withdrawn: false }));
  const running = step.branches.map((branch, index) => {
    const scope = scopes[index] as CancellationScope;
    const branchFrame = withdrawableFrame(nestedFrame(frame), marks[index] as WithdrawalMark);
    return scope
      .run(() => runSteps(branch.steps, branchFrame))
      .then(
        () => {
          completed.push(branch.id);
          branches[branch.id] = branchFrame.results;
          if (!step.completion || decided || failure) return;
          const locals = { completed: completed.length, total: step.branches.length };
          try {
            decided = instance.holds(step.completion, extendFrame(branchFrame, locals));
          } catch (error) {
            failure ??= { error };
          }
        },
        (error: unknown) => {
          // A branch we cancelled ends with a cancellation: that is the plan, not a failure.
          if (!scope.consideredCancelled) failure ??= { error };
        },
      );
  });
  try {
    await condition(() => completed.length >= needed || decided || failure !== null);
  } finally {
    for (const [index, branch] of step.branches.entries()) {
      if (completed.includes(branch.id)) continue;
      // Not needed any more, unless the step failed or is itself being cancelled.
      if (failure === null && (decided || completed.length >= needed))
        (marks[index] as WithdrawalMark).withdrawn = true;
      scopes[index]?.cancel();
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
