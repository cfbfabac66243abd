import { Context } from '@temporalio/activity';
import { SYSTEM_ACTOR, type AuditActor, type AuditActorSource } from '../db/audit/audit-context';

/**
 * The actor of the running activity: the process (`process:<workflowId>`), on behalf of the
 * person who started it (the workflow's `startedBy` memo). The starter is looked up once, and only
 * when the activity writes a recorded change.
 */
export function activityAuditActor(): AuditActorSource {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    // Called as a plain function (a test), not by a worker: there is no process to name.
    return () => SYSTEM_ACTOR;
  }
  const execution = context.info.workflowExecution;
  const actor = execution ? `process:${execution.workflowId}` : `activity:${context.info.activityType}`;
  let resolved: Promise<AuditActor> | undefined;
  return () => {
    resolved ??= starterOf(context).then((onBehalfOf) => ({
      actor,
      onBehalfOf,
      ip: null,
      requestId: null,
      userAgent: null,
    }));
    return resolved;
  };
}

async function starterOf(context: Context): Promise<string | null> {
  const execution = context.info.workflowExecution;
  if (!execution) return null;
  try {
    const description = await context.client.workflow.getHandle(execution.workflowId, execution.runId).describe();
    const startedBy = description.memo?.startedBy;
    if (typeof startedBy !== 'string' || startedBy === '') return null;
    return startedBy.includes(':') ? startedBy : `user:${startedBy}`;
  } catch {
    // Without a client (a test's mock environment) or with the server unreachable, the change is
    // still recorded, against the process alone.
    return null;
  }
}
