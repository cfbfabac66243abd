import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';

/**
 * Named timeout and retry profiles: every proxy in workflow code takes one of these. None bounds
 * the attempts (no maximumAttempts, no scheduleToCloseTimeout), deliberately: the engine's own
 * activities are idempotent, and an outage of the database, the mail relay or the worker must
 * delay an instance, never fail it. Only the interval is capped, so it resumes soon after.
 */
export const ACTIVITY_PROFILES = {
  /** Database writes: quick, retried often. */
  record: {
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
  },
  /** SMTP hand-off: slower peer, keep retrying for a while. */
  mail: {
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes', backoffCoefficient: 2 },
  },
} satisfies Record<string, ActivityOptions>;

/** Local activities: run by the same worker inside the workflow task, no task-queue round trip. */
export const LOCAL_ACTIVITY_PROFILES = {
  /** Instance projection (status + timeline batch): one upsert, idempotent on instance + seq. */
  projection: {
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
  },
} satisfies Record<string, LocalActivityOptions>;
