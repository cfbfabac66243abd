import { Context } from '@temporalio/activity';

/**
 * A key that is the same for every retry of one activity execution and different for
 * every other: workflow id + run id + activity id. Callers that know a business key
 * (e.g. "lead 42 assigned mail") pass it instead.
 */
export function activityIdempotencyKey(explicit?: string): string {
  if (explicit) return explicit;
  const info = Context.current().info;
  const execution = info.workflowExecution;
  // Standalone activities (no workflow) have only their own id to go by.
  if (!execution) return `activity/${info.activityId}`;
  return `${execution.workflowId}/${execution.runId}/${info.activityId}`;
}
