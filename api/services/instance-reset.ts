import { randomUUID } from 'node:crypto';
// CommonJS package whose namespace export Node's ESM loader cannot detect statically (jest's
// transform can, so only `npm start` would fail on a named import).
import proto from '@temporalio/proto';
import type { temporal } from '@temporalio/proto';
import type { EngineContext } from '../engine-deps';
import { ProblemError } from '../problem-error';

/** What lastGoodPoint reads of a history event; ids are int64 (a Long, or a number). */
interface HistoryEvent {
  eventId?: unknown;
  workflowTaskCompletedEventAttributes?: unknown;
  activityTaskScheduledEventAttributes?: { workflowTaskCompletedEventId?: unknown } | null;
  activityTaskFailedEventAttributes?: { scheduledEventId?: unknown } | null;
  activityTaskTimedOutEventAttributes?: { scheduledEventId?: unknown } | null;
}
type EventId = NonNullable<temporal.api.workflowservice.v1.IResetWorkflowExecutionRequest['workflowTaskFinishEventId']>;

/**
 * Runs a failed instance again from its last good point, the product's answer to `temporal
 * workflow reset`: a new run of the same workflow id replays the history up to the workflow task
 * that scheduled the activity whose failure ended it (else up to the workflow task that failed
 * it) and goes on from there. Signals received after that point are applied again (they are
 * business events); Updates are not (the operator's `fail` would end it once more). Activities
 * key their side effects without the run id, so the steps that run again do not repeat a task,
 * reservation or mail that already happened. Compensation the failure already ran is not undone.
 */
export async function resetFailedInstance(
  ctx: EngineContext,
  instanceId: string,
  identity: string,
): Promise<{ runId: string; resetToEventId: number }> {
  const history = await ctx.client.workflow.getHandle(instanceId).fetchHistory();
  const resetToEventId = lastGoodPoint(history.events ?? []);
  if (resetToEventId === null)
    throw new ProblemError({
      status: 409,
      type: 'instance-not-running',
      title: 'Conflict',
      detail: `Instance '${instanceId}' has no point its run could start again from.`,
    });
  const answer: temporal.api.workflowservice.v1.IResetWorkflowExecutionResponse =
    await ctx.client.workflowService.resetWorkflowExecution({
      namespace: ctx.client.options.namespace,
      workflowExecution: { workflowId: instanceId },
      reason: `retry of a failed instance by ${identity}`,
      // An int64 field: protobufjs encodes a plain number as well as a Long.
      workflowTaskFinishEventId: resetToEventId as unknown as EventId,
      requestId: randomUUID(),
      resetReapplyExcludeTypes: [proto.temporal.api.enums.v1.ResetReapplyExcludeType.RESET_REAPPLY_EXCLUDE_TYPE_UPDATE],
      identity,
    });
  // The new run takes the projection over at its first write; until then the row is reopened here.
  await ctx.instances.reopen(ctx.orm.em.fork(), instanceId);
  return { runId: answer.runId ?? '', resetToEventId };
}

/**
 * The WorkflowTaskCompleted event to reset to: the one that scheduled the last failed (or timed
 * out) activity, else the last one before the run failed. Null when there is none.
 */
export function lastGoodPoint(events: readonly HistoryEvent[]): number | null {
  const byId = new Map(events.map((event) => [Number(event.eventId), event]));
  let lastCompleted: number | null = null;
  let failedActivity: number | null = null;
  for (const event of events) {
    if (event.workflowTaskCompletedEventAttributes) lastCompleted = Number(event.eventId);
    const failed = event.activityTaskFailedEventAttributes ?? event.activityTaskTimedOutEventAttributes;
    if (failed) {
      const scheduled = byId.get(Number(failed.scheduledEventId));
      const point = scheduled?.activityTaskScheduledEventAttributes?.workflowTaskCompletedEventId;
      if (point !== undefined && point !== null) failedActivity = Number(point);
    }
  }
  return failedActivity ?? lastCompleted;
}
