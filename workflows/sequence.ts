import { isCancellation } from '@temporalio/workflow';
import type { Json, StepPlan } from '../dsl/plan';
import { isControlFlow, isFinal, isProcessFailure, markFinal, noteFailedStep, stepErrorOf } from './failure';
import { extendFrame, type Frame } from './frame';
import { holdIncident } from './incidents';
import type { ProcessInstance } from './process-instance';
import { STEP_EXECUTORS, type StepContext, type StepExecutor } from './steps';

// Kinds whose result is a value the process built or received; the others (loops, branches)
// collect results already checked one by one.
const BUILDS_VALUES: ReadonlySet<StepPlan['kind']> = new Set(['set', 'call', 'task', 'receive', 'process']);

/** Runs steps one after another in a frame: the interpreter's loop. */
export async function runSteps(instance: ProcessInstance, steps: StepPlan[], frame: Frame): Promise<void> {
  for (const step of steps) await runStep(instance, step, frame);
}

/**
 * One step, held as an incident when it fails with nobody to handle the failure: no `onError`
 * here or around it (`frame.guarded`), not a failure the template chose (`fail`, `then: fail`),
 * not compensation or `onFailure`. The instance then waits for an operator to retry the step
 * (with the variables as they are by then) or to fail or cancel the instance; concurrent
 * branches keep running meanwhile. Runs recorded before incidents existed fail as they did.
 */
export async function runStep(instance: ProcessInstance, step: StepPlan, frame: Frame): Promise<void> {
  for (;;) {
    try {
      await attemptStep(instance, step, frame);
      return;
    } catch (error) {
      if (!mayHoldIncident(error, frame) || !instance.patches.has('2026-12-incidents')) throw error;
      const decision = await holdIncident(instance, step, frame, stepErrorOf(error));
      if (decision === 'fail') throw markFinal(error);
    }
  }
}

function mayHoldIncident(error: unknown, frame: Frame): boolean {
  if (isControlFlow(error) || isCancellation(error) || !isProcessFailure(error) || isFinal(error)) return false;
  return !frame.guarded && !frame.compensating;
}

/**
 * `if` (skip), timeline, the kind's executor, `onError`. The result is stored as
 * `steps.<id>` in the frame's results. Timeline entries stay in memory until the next flush.
 */
async function attemptStep(instance: ProcessInstance, step: StepPlan, frame: Frame): Promise<void> {
  const where = { stepId: step.id, path: step.path };
  if (step.if && !instance.holds(step.if, frame)) {
    instance.timeline.add('step.skipped', where);
    return;
  }
  instance.timeline.add('step.started', { ...where, detail: { kind: step.kind } });
  instance.enter(step.id);
  let result: Json;
  try {
    const context: StepContext = {
      instance,
      frame,
      // Nested steps of a step with onError leave their failures to it: they hold no incident.
      runSteps: (nested, nestedFrame) =>
        runSteps(instance, nested, step.onError ? { ...nestedFrame, guarded: true } : nestedFrame),
    };
    result = await (STEP_EXECUTORS[step.kind] as StepExecutor<StepPlan>)(step, context);
    if (BUILDS_VALUES.has(step.kind)) result = instance.keep(result, `the result of step '${step.id}' (${step.path})`);
  } catch (error) {
    if (isControlFlow(error) || isCancellation(error) || !isProcessFailure(error)) throw error;
    noteFailedStep(error, step.id);
    const failure = stepErrorOf(error);
    instance.timeline.add('step.failed', { ...where, detail: { ...failure } });
    if (!step.onError) throw error;
    await runSteps(instance, step.onError.steps, extendFrame(frame, { error: { ...failure } }));
    if (step.onError.then === 'fail') throw markFinal(error);
    result = { failed: true, error: { ...failure } };
  } finally {
    instance.leave(step.id);
  }
  frame.results[step.id] = result;
  instance.timeline.add('step.completed', where);
}
