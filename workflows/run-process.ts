import { ContinueAsNew, isCancellation, workflowInfo } from '@temporalio/workflow';
import type { StepPlan } from '../dsl/plan';
import { EndInstance, isProcessFailure } from './failure';
import { finishCancelled, finishCompleted, finishFailed } from './finish';
import { installHandlers } from './instance-handlers';
import type { ProcessResult, RunProcessInput } from './messages';
import { ProcessInstance } from './process-instance';
import { setStatus } from './process-status';
import { flushProjection } from './projection';
import { runSteps } from './sequence';

/**
 * The interpreter: one workflow type for every template. It walks the compiled plan it was
 * started with (so its history alone replays it), step kinds in ./steps.
 *
 * Determinism: no I/O, ids from workflowInfo, time from the workflow clock. A change to what
 * this code does for an existing history (new commands, different order, different ids) goes
 * behind `if (patched('<yyyy-mm>-<what>')) { new } else { old }`, asked in the first activation
 * (./patches.ts says why), later `deprecatePatch`, and the replay tests
 * (test/workflow/replay.test.ts) run recorded histories against every change.
 */
export async function runProcess(args: RunProcessInput): Promise<ProcessResult> {
  const instance = new ProcessInstance(args);
  installHandlers(instance);
  try {
    instance.initialise();
    setStatus(instance, 'running', true);
    if (!args.carried) {
      const detail = { parentInstanceId: instance.parentInstanceId, startedBy: startedBy() };
      // A projected start: the starter wrote the row and `instance.started` (seq 1), so the first
      // flush comes at the first wait or the end.
      if (args.projectedStart)
        instance.timeline.addWritten('instance.started', { detail }, args.projectedStart.startedAt);
      else instance.timeline.add('instance.started', { detail });
    }
    // A continued run flushes first even so, to take the row over.
    if (args.carried || !args.projectedStart) await flushProjection(instance);
    await runSteps(instance, stepsToRun(instance), instance.root);
    return await finishCompleted(instance, null);
  } catch (error) {
    if (error instanceof EndInstance) return finishCompleted(instance, error.result);
    if (error instanceof ContinueAsNew) throw error;
    if (isCancellation(error)) return finishCancelled(instance, error);
    if (isProcessFailure(error)) return finishFailed(instance, error);
    // An interpreter bug: fail the workflow task (it retries) instead of the instance.
    throw error;
  }
}

/**
 * Who started the instance (the API and the trigger dispatcher put it in the memo): on the
 * timeline, it is what lets the starter see the instance (api/access/process-access.ts).
 */
function startedBy(): string | null {
  const value = workflowInfo().memo?.['startedBy'];
  return typeof value === 'string' ? value : null;
}

/** From the start, or (after continue-as-new) from the top-level repeat being resumed. */
function stepsToRun(instance: ProcessInstance): StepPlan[] {
  const resume = instance.resume;
  if (!resume) return instance.plan.steps;
  const index = instance.plan.steps.findIndex((step) => step.path === resume.path);
  if (index < 0)
    throw new Error(
      `cannot resume at ${resume.path}: not a top-level step of ${instance.plan.key} v${instance.plan.version}`,
    );
  return instance.plan.steps.slice(index);
}
