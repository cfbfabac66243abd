import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What an activity is told about its instance by its workflow, in headers (workflows/activity-origin.ts
 * sends them, runtime/activity-origin-interceptor.ts reads them into this context).
 */
export interface ActivityOrigin {
  /** The run id of the instance's start event: the activities' idempotency keys use it (activityIdempotencyKey). */
  originalRunId: string | undefined;
  /** The instance's template: its log lines carry it (activity-log-context.ts). */
  templateKey: string | undefined;
}

const origins = new AsyncLocalStorage<ActivityOrigin>();

/** Runs an activity knowing what its workflow told it about its instance. */
export function runWithActivityOrigin<T>(origin: ActivityOrigin, run: () => Promise<T>): Promise<T> {
  return origins.run(origin, run);
}

/** What the running activity's workflow told it; undefined outside such a call, or when it sent nothing. */
export function activityOrigin(): ActivityOrigin | undefined {
  return origins.getStore();
}
