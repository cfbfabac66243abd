import { ParentClosePolicy, executeChild, startChild, workflowInfo } from '@temporalio/workflow';
import type { Json, ProcessStep } from '../../dsl/plan';
import { resolveTemplate } from '../engine-activities';
import { iterationKey } from '../frame';
import { RUN_PROCESS, type ProcessResult, type RunProcessInput } from '../messages';
import { flushProjection } from '../projection';
import type { StepExecutor } from './context';

type RunProcess = (input: RunProcessInput) => Promise<ProcessResult>;

/**
 * Starts the newest published version of another template as a child instance (same workflow
 * type, same task queue), with id `<parent>/<stepId>@<iteration>`. `wait: true` returns the
 * child's `{ instanceId, result, vars }`; cancelling the parent cancels the child, which then
 * compensates (REQUEST_CANCEL also when the parent is terminated). `wait: false` returns
 * `{ instanceId, started: true }` and the child outlives the parent (ABANDON).
 */
export const runProcessStep: StepExecutor<ProcessStep> = async (step, { instance, frame }): Promise<Json> => {
  const plan = await resolveTemplate({ key: step.template });
  const input = instance.render(step.input, frame);
  const instanceId = `${workflowInfo().workflowId}/${step.id}@${iterationKey(frame)}`;
  const args: [RunProcessInput] = [{ plan, input, parentInstanceId: instance.info.id }];
  await flushProjection(instance);
  if (!step.wait) {
    await startChild<RunProcess>(RUN_PROCESS, {
      args,
      workflowId: instanceId,
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    return { instanceId, started: true };
  }
  const child = await executeChild<RunProcess>(RUN_PROCESS, {
    args,
    workflowId: instanceId,
    parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
  });
  return { instanceId, result: child.result, vars: child.vars };
};
