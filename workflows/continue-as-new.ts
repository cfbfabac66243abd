import { condition, allHandlersFinished, continueAsNew, workflowInfo } from '@temporalio/workflow';
import type { RepeatStep } from '../dsl/plan';
import type { Frame } from './frame';
import type { ProcessResult, RunProcessInput } from './messages';
import type { ProcessInstance } from './process-instance';
import { flushProjection } from './projection';

/**
 * Continue-as-new happens only between iterations of a repeat that sits directly in
 * `plan.steps` (top level, root frame, not compensating): there the whole position of the
 * instance is "this repeat, next iteration" plus vars/steps, which CarriedState can express.
 * A repeat nested in a switch, parallel, forEach, another repeat or an onError block keeps
 * running in one history (resuming there would need the enclosing steps' state as well).
 */
export function mayContinueAsNewAt(instance: ProcessInstance, step: RepeatStep, frame: Frame): boolean {
  return frame === instance.root && !frame.compensating && instance.plan.steps.includes(step);
}

export function historyIsLong(instance: ProcessInstance): boolean {
  const info = workflowInfo();
  const threshold = instance.args.options?.continueAsNewAfterEvents;
  return info.continueAsNewSuggested || (threshold !== undefined && info.historyLength >= threshold);
}

/** Ends this run and starts the next with the state it needs to resume `repeat` at `iteration`. */
export async function continueAtRepeat(instance: ProcessInstance, step: RepeatStep, iteration: number): Promise<never> {
  await condition(allHandlersFinished);
  instance.timeline.add('continued-as-new', {
    stepId: step.id,
    path: step.path,
    detail: { iteration, historyLength: workflowInfo().historyLength },
  });
  // The next run gets a seq past this entry, so projected timeline rows never collide.
  await flushProjection(instance);
  const next: RunProcessInput = {
    ...instance.args,
    carried: {
      vars: instance.vars,
      steps: instance.steps,
      resume: { path: step.path, iteration },
      timelineSeq: instance.timeline.lastSeq,
      startedAt: instance.info.startedAt,
      events: instance.events.buffered(),
      seenEventIds: instance.events.seenIds(),
      compensations: instance.compensations.carry(),
    },
  };
  return continueAsNew<(input: RunProcessInput) => Promise<ProcessResult>>(next);
}
