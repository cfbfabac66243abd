import { defaultPayloadConverter } from '@temporalio/common';
import type { Payload } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { runWithActivityOrigin } from '../activities/activity-origin';
import { ORIGINAL_RUN_HEADER, TEMPLATE_KEY_HEADER } from '../contracts/engine';

/**
 * Hands each activity what the workflow's interceptor (workflows/activity-origin.ts) sends about
 * its instance: the run id of its start event, for its idempotency key, and its template, for its
 * log lines. An activity scheduled before a header existed has none: it keys by its own run, as it
 * did then, and its log lines look the template up.
 */
export const activityOriginInterceptor: ActivityInterceptorsFactory = () => ({
  inbound: {
    execute: (input, next) => {
      const originalRunId = headerText(input.headers[ORIGINAL_RUN_HEADER]);
      const templateKey = headerText(input.headers[TEMPLATE_KEY_HEADER]);
      return originalRunId === undefined && templateKey === undefined
        ? next(input)
        : runWithActivityOrigin({ originalRunId, templateKey }, () => next(input));
    },
  },
});

function headerText(header: Payload | undefined): string | undefined {
  const value = header ? defaultPayloadConverter.fromPayload<unknown>(header) : undefined;
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
