import { ApplicationFailure, condition, currentUpdateInfo, setHandler } from '@temporalio/workflow';
import { completeTask, updateTask } from './engine-activities';
import type { TaskRejectionCode } from '../contracts/failures';
import { hasRight } from '../contracts/roles';
import { describeFailure } from './failure';
import { checkForm } from './form-check';
import { jsonBytes } from './json-size';
import { claimTaskUpdate, completeTaskUpdate, delegateTaskUpdate, releaseTaskUpdate } from './messages';
import { type Actor, type TaskChange, type TaskCompletion, type TaskView } from '../contracts/engine';
import type { ProcessInstance } from './process-instance';
import type { TaskRecord } from './task-book';

/**
 * The task Updates: complete, claim, delegate, release. Validators are synchronous and throw to reject, so a rejected call
 * leaves nothing in history; their failure `type` is a code of contracts/failures.ts, which the
 * API maps to a status (task.unknown → 404, task.closed → 409, the rest → 403/422). Validators do
 * not run on replay, so changing who may act changes no recorded history. Handlers change workflow state
 * first, then await the projection, so the inbox is current when the caller gets the answer.
 */
export function installTaskUpdates(instance: ProcessInstance): void {
  setHandler(
    completeTaskUpdate,
    async (args): Promise<TaskCompletion> => {
      const record = openRecord(instance, args.taskId);
      const completion: TaskCompletion = {
        taskId: args.taskId,
        outcome: args.outcome,
        form: args.form ?? {},
        comment: args.comment ?? null,
        completedBy: args.actor.userId,
        completedAt: new Date().toISOString(),
      };
      // The name is for the process's own texts (mails name people); the projection keeps the id,
      // so the activity's input stays what recorded histories and the dry run issue.
      const result: TaskCompletion = { ...completion, completedByName: args.actor.name ?? args.actor.userId };
      record.completion = result;
      record.view.status = 'completed';
      record.view.outcome = args.outcome;
      instance.timeline.add('task.completed', {
        stepId: record.view.stepId,
        path: record.step.path,
        detail: { taskId: args.taskId, outcome: args.outcome, by: args.actor.userId },
      });
      await project(record, () => completeTask(completion));
      return result;
    },
    {
      validator: (args) => {
        const record = openRecord(instance, args.taskId);
        refuseExcluded(record, args.actor.userId, 'complete');
        if (!record.view.outcomes.includes(args.outcome)) {
          throw reject(
            'task.outcome-invalid',
            `outcome '${args.outcome}' is not one of ${record.view.outcomes.join(', ')}`,
          );
        }
        const bytes = jsonBytes(args.form ?? {});
        if (bytes > instance.limits.valueBytes) {
          throw reject(
            'task.form-invalid',
            `the form data is ${bytes} bytes of JSON, more than the limit of ${instance.limits.valueBytes}`,
          );
        }
        const problems = record.step.form ? checkForm(record.step.form, args.form ?? {}) : [];
        if (problems.length > 0) throw reject('task.form-invalid', problems.join('; '), problems);
      },
    },
  );

  setHandler(
    claimTaskUpdate,
    async ({ taskId, actor }): Promise<TaskView> =>
      handOver(instance, openRecord(instance, taskId), actor.userId, { type: 'claimed', by: actor.userId }),
    {
      validator: ({ taskId, actor }) => {
        const record = openRecord(instance, taskId);
        const { view } = record;
        refuseExcluded(record, actor.userId, 'claim');
        const candidate =
          view.candidateUsers.includes(actor.userId) ||
          (view.candidateRole !== null && actor.roles.includes(view.candidateRole));
        if (!candidate && view.assignee !== actor.userId) {
          throw reject('task.not-candidate', `${actor.userId} is not a candidate for task ${taskId}`);
        }
      },
    },
  );

  setHandler(
    delegateTaskUpdate,
    async ({ taskId, actor, to }): Promise<TaskView> =>
      handOver(instance, openRecord(instance, taskId), to, { type: 'delegated', by: actor.userId, to }),
    {
      validator: ({ taskId, actor, to }) => {
        const record = openRecord(instance, taskId);
        const { view } = record;
        if (view.assignee !== actor.userId && !mayDelegateAny(actor)) {
          throw reject('task.not-assignee', `${actor.userId} may not delegate task ${taskId}`);
        }
        if (typeof to !== 'string' || to.length === 0) throw reject('task.delegate-invalid', 'delegate to whom?');
        refuseExcluded(record, to, 'be delegated');
        // What can be told without the database: a task for named users only goes to one of them.
        // Role holders and attribute filters are the API's check (task-delegation.ts), before this.
        if (view.candidateRole === null && view.candidateUsers.length > 0 && !view.candidateUsers.includes(to)) {
          throw reject('task.delegate-not-candidate', `${to} is not a candidate for task ${taskId}`);
        }
      },
    },
  );

  setHandler(
    releaseTaskUpdate,
    async ({ taskId, actor }): Promise<TaskView> =>
      handOver(instance, openRecord(instance, taskId), null, { type: 'released', by: actor.userId }),
    {
      validator: ({ taskId, actor }) => {
        const { view } = openRecord(instance, taskId);
        if (view.assignee !== actor.userId) {
          throw reject('task.not-assignee', `${actor.userId} does not hold task ${taskId}`);
        }
        if (view.candidateRole === null && view.candidateUsers.length === 0) {
          throw reject('task.release-invalid', `task ${taskId} has no candidates to go back to`);
        }
      },
    },
  );
}

/**
 * Gives an open task to a person (claim, delegate) or back to its candidates (release, `null`):
 * the workflow's state first, its timeline entry (`task.<change>` with the change's fields), then
 * the projection, keyed by the Update so a retried call writes once; answers the task as it stands.
 */
async function handOver(
  instance: ProcessInstance,
  record: TaskRecord,
  assignee: string | null,
  change: Extract<TaskChange, { type: 'claimed' | 'delegated' | 'released' }>,
): Promise<TaskView> {
  const { taskId } = record.view;
  record.view.assignee = assignee;
  const { type, ...fields } = change;
  instance.timeline.add(`task.${type}`, {
    stepId: record.view.stepId,
    path: record.step.path,
    detail: { taskId, ...fields },
  });
  await project(record, () =>
    updateTask({ taskId, eventKey: `${type}:${updateKey()}`, at: new Date().toISOString(), change }),
  );
  return { ...record.view };
}

/** Four-eyes: the people the task excludes may not decide it, however they came by it. */
function refuseExcluded(record: TaskRecord, userId: string, action: string): void {
  // Records opened before the rule existed have no list.
  if ((record.excluded ?? []).includes(userId)) {
    throw reject('task.four-eyes', `${userId} may not ${action} task ${record.view.taskId}: four-eyes rule`);
  }
}

function openRecord(instance: ProcessInstance, taskId: string): TaskRecord {
  const record = instance.tasks.get(taskId);
  if (!record || record.openFailed) throw reject('task.unknown', `no task ${taskId} in this instance`);
  if (record.view.status !== 'open') throw reject('task.closed', `task ${taskId} is already ${record.view.status}`);
  return record;
}

function mayDelegateAny(actor: Actor): boolean {
  return hasRight(actor.roles, 'tasks.delegate-others');
}

function reject(code: TaskRejectionCode, message: string, problems?: string[]): ApplicationFailure {
  return ApplicationFailure.create({ type: code, message, nonRetryable: true, details: problems ? [problems] : [] });
}

/** Idempotency of the projection event: the update id, stable across client retries. */
function updateKey(): string {
  return currentUpdateInfo()?.id ?? 'unknown';
}

/**
 * Writes the change to the projection once the task's own openTask has landed there, so the
 * rows never go backwards. After acceptance only an ApplicationFailure may escape: a plain
 * Error would wedge the workflow task.
 */
async function project(record: TaskRecord, write: () => Promise<unknown>): Promise<void> {
  await condition(() => record.projected || record.openFailed);
  if (!record.projected)
    throw ApplicationFailure.create({
      type: 'task.open-failed',
      message: `task ${record.view.taskId} could not be opened`,
      nonRetryable: true,
    });
  try {
    await write();
  } catch (error) {
    const { code, message } = describeFailure(error);
    throw ApplicationFailure.create({
      type: 'task.projection-failed',
      message: `${code}: ${message}`,
      nonRetryable: true,
    });
  }
}
