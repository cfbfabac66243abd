import { defaultPayloadConverter } from '@temporalio/common';
import { workflowInfo, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { ORIGINAL_RUN_HEADER, TEMPLATE_KEY_HEADER } from '../contracts/engine';
import { TEMPLATE_KEY } from './search-attributes';

/**
 * Tells every activity the run id of the instance's start event (see ORIGINAL_RUN_HEADER) and the
 * instance's template when the run knows it (TEMPLATE_KEY_HEADER). Headers are not part of a
 * command's identity, so replays of older histories are unaffected.
 */
export const interceptors: WorkflowInterceptorsFactory = () => {
  const originHeader = () => {
    const info = workflowInfo();
    const templateKey = info.typedSearchAttributes.get(TEMPLATE_KEY);
    return {
      [ORIGINAL_RUN_HEADER]: defaultPayloadConverter.toPayload(info.originalExecutionRunId),
      ...(templateKey ? { [TEMPLATE_KEY_HEADER]: defaultPayloadConverter.toPayload(templateKey) } : {}),
    };
  };
  return {
    outbound: [
      {
        scheduleActivity: (input, next) => next({ ...input, headers: { ...input.headers, ...originHeader() } }),
        scheduleLocalActivity: (input, next) => next({ ...input, headers: { ...input.headers, ...originHeader() } }),
      },
    ],
  };
};
