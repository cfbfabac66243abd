import { defaultPayloadConverter } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { runWithOriginalRun } from '../activities/activity-definition';
import { ORIGINAL_RUN_HEADER } from '../contracts/engine';

/**
 * Hands each activity the run id of its instance's start event, sent by the workflow's
 * interceptor (workflows/activity-origin.ts), for its idempotency key. An activity scheduled
 * before the header existed has none and keys by its own run, as it did then.
 */
export const activityOriginInterceptor: ActivityInterceptorsFactory = () => ({
  inbound: {
    execute: (input, next) => {
      const header = input.headers[ORIGINAL_RUN_HEADER];
      const originalRunId = header ? defaultPayloadConverter.fromPayload<unknown>(header) : undefined;
      return typeof originalRunId === 'string' && originalRunId.length > 0
        ? runWithOriginalRun(originalRunId, () => next(input))
        : next(input);
    },
  },
});
