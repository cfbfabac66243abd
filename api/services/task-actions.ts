import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Json } from '../../dsl/plan';
import {
  claimTaskUpdate, completeTaskUpdate, delegateTaskUpdate, type Actor, type TaskCompletion, type TaskView,
} from '../../workflows/messages';
import { ProblemError } from '../problem-error';

/** Validator failure types (workflows/) and the HTTP answer each deserves. */
const REJECTIONS: Record<string, { status: number; type: string; title: string }> = {
  'task.unknown': { status: 404, type: 'task-not-found', title: 'Not Found' },
  'task.closed': { status: 409, type: 'task-closed', title: 'Conflict' },
  'task.outcome-invalid': { status: 422, type: 'invalid-outcome', title: 'Unprocessable Content' },
  'task.form-invalid': { status: 422, type: 'invalid-form', title: 'Unprocessable Content' },
  'task.delegate-invalid': { status: 422, type: 'invalid-delegate', title: 'Unprocessable Content' },
  'task.not-candidate': { status: 403, type: 'forbidden', title: 'Forbidden' },
  'task.not-assignee': { status: 403, type: 'forbidden', title: 'Forbidden' },
};

/**
 * Sends a task action to the instance's workflow as an Update and waits for it to be
 * accepted and handled. The validator rejects before anything enters history, so a
 * rejected action leaves no trace; each HTTP call gets its own update id unless the client
 * sends an Idempotency-Key, so a concurrent second completion is rejected, not merged.
 */
async function sendUpdate<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      throw new ProblemError({ status: 409, type: 'task-closed', title: 'Conflict', detail: 'The process instance of this task has ended.' });
    }
    if (error instanceof WorkflowUpdateFailedError) {
      const cause = error.cause;
      const type = cause instanceof ApplicationFailure ? cause.type ?? '' : '';
      const rejection = REJECTIONS[type] ?? { status: 409, type: 'task-action-rejected', title: 'Conflict' };
      throw new ProblemError({ ...rejection, detail: cause?.message ?? error.message, extensions: type ? { code: type } : {} });
    }
    throw error;
  }
}

export function completeTask(
  client: Client,
  target: { instanceId: string; taskId: string },
  body: { outcome: string; form?: Record<string, Json>; comment?: string },
  actor: Actor,
  idempotencyKey?: string,
): Promise<TaskCompletion> {
  return sendUpdate(() => client.workflow.getHandle(target.instanceId).executeUpdate(completeTaskUpdate, {
    args: [{ taskId: target.taskId, outcome: body.outcome, form: body.form, comment: body.comment, actor }],
    updateId: idempotencyKey ? `complete:${actor.userId}:${idempotencyKey}` : `complete:${randomUUID()}`,
  }));
}

export function claimTask(client: Client, target: { instanceId: string; taskId: string }, actor: Actor): Promise<TaskView> {
  return sendUpdate(() => client.workflow.getHandle(target.instanceId).executeUpdate(claimTaskUpdate, {
    args: [{ taskId: target.taskId, actor }], updateId: `claim:${randomUUID()}`,
  }));
}

export function delegateTask(client: Client, target: { instanceId: string; taskId: string }, actor: Actor, to: string): Promise<TaskView> {
  return sendUpdate(() => client.workflow.getHandle(target.instanceId).executeUpdate(delegateTaskUpdate, {
    args: [{ taskId: target.taskId, actor, to }], updateId: `delegate:${randomUUID()}`,
  }));
}
