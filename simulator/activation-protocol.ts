import { defaultPayloadConverter } from '@temporalio/common';
import { msNumberToTs, tsToMs } from '@temporalio/common/lib/time';
import proto from '@temporalio/proto';
import type { coresdk, temporal } from '@temporalio/proto';
import type { Json } from '../dsl/plan';

/*
 * What Temporal's server and Core would put into an activation, built the way they build it:
 * JSON payloads, failures as temporal.api.failure.v1.Failure (the workflow's failure converter
 * turns them into ActivityFailure / ChildWorkflowFailure / ApplicationFailure as in production).
 */

/**
 * An activation as Core decodes it: protobuf messages (the SDK reads oneofs through their
 * `variant` getters), not plain objects.
 */
export function activationOf(
  properties: coresdk.workflow_activation.IWorkflowActivation,
): coresdk.workflow_activation.WorkflowActivation {
  return proto.coresdk.workflow_activation.WorkflowActivation.fromObject(properties);
}

export type Job = coresdk.workflow_activation.IWorkflowActivationJob;
export type Command = coresdk.workflow_commands.IWorkflowCommand;
type Payload = temporal.api.common.v1.IPayload;
type Failure = temporal.api.failure.v1.IFailure;

// A CommonJS module: its namespaces are read from the default export under ESM.
const RetryState = proto.temporal.api.enums.v1.RetryState;

export function toPayload(value: unknown): Payload {
  return defaultPayloadConverter.toPayload(value);
}

export function fromPayload(payload: Payload | null | undefined): Json {
  if (!payload) return null;
  return (defaultPayloadConverter.fromPayload(payload) ?? null) as Json;
}

export function fromPayloads(payloads: Payload[] | null | undefined): Json[] {
  return (payloads ?? []).map((payload) => fromPayload(payload));
}

export const timestamp = msNumberToTs;

/**
 * A command's duration in ms. Commands come back from the runtime's worker thread structured-
 * cloned: a protobuf Long arrives as a plain `{ low, high, unsigned }` without its methods.
 */
export function durationMs(duration: Parameters<typeof tsToMs>[0]): number {
  if (duration === null || duration === undefined) return tsToMs(duration);
  const seconds: unknown = duration.seconds;
  const wholeSeconds =
    typeof seconds === 'number'
      ? seconds
      : seconds && typeof seconds === 'object' && 'low' in seconds && 'high' in seconds
        ? Number(seconds.high) * 2 ** 32 + (Number(seconds.low) >>> 0)
        : 0;
  return wholeSeconds * 1000 + Math.round((duration.nanos ?? 0) / 1_000_000);
}

/** An error as activity code throws it: ApplicationFailure with a type. */
function applicationFailure(type: string, message: string, nonRetryable: boolean): Failure {
  return { message, source: 'TypeScriptSDK', applicationFailureInfo: { type, nonRetryable } };
}

export function activityResolved(seq: number, isLocal: boolean, result: Json): Job {
  return { resolveActivity: { seq, isLocal, result: { completed: { result: toPayload(result) } } } };
}

export function activityFailed(
  seq: number,
  isLocal: boolean,
  activity: { type: string; id: string },
  error: { type: string; message: string; nonRetryable: boolean },
): Job {
  const failure: Failure = {
    message: 'Activity task failed',
    activityFailureInfo: {
      activityType: { name: activity.type },
      activityId: activity.id,
      retryState: error.nonRetryable
        ? RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE
        : RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED,
    },
    cause: applicationFailure(error.type, error.message, error.nonRetryable),
  };
  return { resolveActivity: { seq, isLocal, result: { failed: { failure } } } };
}

export function activityCancelled(seq: number, isLocal: boolean, activity: { type: string; id: string }): Job {
  const failure: Failure = {
    message: 'Activity cancelled',
    activityFailureInfo: {
      activityType: { name: activity.type },
      activityId: activity.id,
      retryState: RetryState.RETRY_STATE_CANCEL_REQUESTED,
    },
    cause: { message: 'Activity cancelled', source: 'TypeScriptSDK', canceledFailureInfo: {} },
  };
  return { resolveActivity: { seq, isLocal, result: { cancelled: { failure } } } };
}

export function childStarted(seq: number, runId: string): Job {
  return { resolveChildWorkflowExecutionStart: { seq, succeeded: { runId } } };
}

export function childCompleted(seq: number, result: Json): Job {
  return { resolveChildWorkflowExecution: { seq, result: { completed: { result: toPayload(result) } } } };
}

export function childFailed(
  seq: number,
  child: { workflowId: string; runId: string; namespace: string },
  cause: { code: string; message: string } | 'cancelled',
): Job {
  // As Core builds them (child_workflow_state_machine.rs): a cancellation's cause is a bare
  // CanceledFailure, and its retry state NON_RETRYABLE_FAILURE like a failure's.
  const failure: Failure = {
    message: cause === 'cancelled' ? 'Child Workflow execution cancelled' : 'Child Workflow execution failed',
    childWorkflowExecutionFailureInfo: {
      namespace: child.namespace,
      workflowExecution: { workflowId: child.workflowId, runId: child.runId },
      workflowType: { name: 'runProcess' },
      retryState: RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE,
    },
    cause: cause === 'cancelled' ? { canceledFailureInfo: {} } : applicationFailure(cause.code, cause.message, true),
  };
  const result = cause === 'cancelled' ? { cancelled: { failure } } : { failed: { failure } };
  return { resolveChildWorkflowExecution: { seq, result } };
}

/** The code and message of a workflow's failure (the interpreter types it by the process's code). */
export function describeWorkflowFailure(failure: Failure | null | undefined): { code: string; message: string } {
  let current = failure;
  while (current?.cause && !current.applicationFailureInfo) current = current.cause;
  return {
    code: current?.applicationFailureInfo?.type || 'internal',
    message: current?.message ?? failure?.message ?? 'failed',
  };
}
