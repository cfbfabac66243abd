import { defaultPayloadConverter } from '@temporalio/common';
import { workflowInfo, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { ORIGINAL_RUN_HEADER } from '../contracts/engine';

/**
 * Tells every activity the run id of the instance's start event (see ORIGINAL_RUN_HEADER).
 * Headers are not part of a command's identity, so replays of older histories are unaffected.
 */
export const interceptors: WorkflowInterceptorsFactory = () => {
  const originHeader = () => ({
    [ORIGINAL_RUN_HEADER]: defaultPayloadConverter.toPayload(workflowInfo().originalExecutionRunId),
  });
  return {
    outbound: [
      {
        scheduleActivity: (input, next) => next({ ...input, headers: { ...input.headers, ...originHeader() } }),
        scheduleLocalActivity: (input, next) => next({ ...input, headers: { ...input.headers, ...originHeader() } }),
      },
    ],
  };
};
