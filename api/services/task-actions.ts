import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Json } from '../../dsl/plan';
import { claimTaskUpdate, completeTaskUpdate, delegateTaskUpdate, releaseTaskUpdate } from '../../workflows/messages';
import { type Actor, type TaskCompletion, type TaskView } from '../../contracts/engine';
import { FAILURES, isFailureCode } from '../../contracts/failures';
import { ProblemError } from '../problem-error';

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
      throw new ProblemError({
        status: 409,
        type: 'task-closed',
        title: 'Conflict',
        detail: 'The process instance of this task has ended.',
      });
    }
    if (error instanceof WorkflowUpdateFailedError) {
      const cause = error.cause;
      const type = cause instanceof ApplicationFailure ? (cause.type ?? '') : '';
      // The validators' codes are in the failure table; anything else the workflow refused is a conflict.
      const rejection = isFailureCode(type)
        ? FAILURES[type]
        : { status: 409, type: 'task-action-rejected', title: 'Conflict' };
      const fields = cause instanceof ApplicationFailure ? formErrorsOf(cause.details) : [];
      throw new ProblemError({
        ...rejection,
        detail: cause?.message ?? error.message,
        extensions: { ...(type ? { code: type } : {}), ...(fields.length > 0 ? { errors: fields } : {}) },
      });
    }
    throw error;
  }
}

/**
 * The form checker's problems (`form.items[2]: must be a string`, workflows/form-check.ts) as the
 * `errors` of a validation problem, so a client can mark each field without parsing the detail.
 */
function formErrorsOf(details: readonly unknown[] | null | undefined): { path: string; message: string }[] {
  const problems = Array.isArray(details?.[0]) ? (details[0] as unknown[]) : [];
  return problems.flatMap((problem) => {
    const match = typeof problem === 'string' ? /^(form(?:\.[^.[:\s]+|\[\d+\])*): (.+)$/u.exec(problem) : null;
    if (!match) return [];
    const pointer = match[1]!
      .replace(/\[(\d+)\]/gu, '.$1')
      .split('.')
      .join('/');
    return [{ path: `/body/${pointer}`, message: match[2]! }];
  });
}

export function completeTask(
  client: Client,
  target: { instanceId: string; taskId: string },
  body: { outcome: string; form?: Record<string, Json>; comment?: string },
  actor: Actor,
  idempotencyKey?: string,
): Promise<TaskCompletion> {
  return sendUpdate(() =>
    client.workflow.getHandle(target.instanceId).executeUpdate(completeTaskUpdate, {
      args: [{ taskId: target.taskId, outcome: body.outcome, form: body.form, comment: body.comment, actor }],
      updateId: idempotencyKey ? `complete:${actor.userId}:${idempotencyKey}` : `complete:${randomUUID()}`,
    }),
  );
}

export function claimTask(
  client: Client,
  target: { instanceId: string; taskId: string },
  actor: Actor,
): Promise<TaskView> {
  return sendUpdate(() =>
    client.workflow.getHandle(target.instanceId).executeUpdate(claimTaskUpdate, {
      args: [{ taskId: target.taskId, actor }],
      updateId: `claim:${randomUUID()}`,
    }),
  );
}

export function delegateTask(
  client: Client,
  target: { instanceId: string; taskId: string },
  actor: Actor,
  to: string,
): Promise<TaskView> {
  return sendUpdate(() =>
    client.workflow.getHandle(target.instanceId).executeUpdate(delegateTaskUpdate, {
      args: [{ taskId: target.taskId, actor, to }],
      updateId: `delegate:${randomUUID()}`,
    }),
  );
}

export function releaseTask(
  client: Client,
  target: { instanceId: string; taskId: string },
  actor: Actor,
): Promise<TaskView> {
  return sendUpdate(() =>
    client.workflow.getHandle(target.instanceId).executeUpdate(releaseTaskUpdate, {
      args: [{ taskId: target.taskId, actor }],
      updateId: `release:${randomUUID()}`,
    }),
  );
}
