import { ApplicationFailure } from '@temporalio/activity';
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { Task } from '../../db/entities';
import type { ActivityDeps } from '../deps';
import type { CompleteTaskParams, OpenTaskParams, TaskProjection } from '../engine-contracts';
import { findTaskEvent, recipientsOf, recordTaskEvent } from './task-events';
import { sendTaskMails } from './task-mail';
import { taskRecipients } from './task-recipients';
import { toTaskView } from './task-view';

const OPENED = 'opened';
const COMPLETED = 'completed';

/** The task row, locked for this transaction; every writer of a task and its events takes this lock first. */
export async function lockTask(em: EntityManager, taskId: string): Promise<Task> {
  const task = await em.findOne(Task, { id: taskId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!task) {
    throw ApplicationFailure.create({ type: 'task.not-found', message: `no task ${taskId} in the projection`, nonRetryable: true });
  }
  return task;
}

export function createTaskActivities(deps: ActivityDeps) {
  const now = deps.now ?? (() => new Date());
  return {
    /**
     * Projects a new task and notifies its assignee or candidates once. The row and its `opened`
     * event are written once whatever the retries; the recipients are fixed in that event, and
     * each mail has its own outbox key, so a retry resends only what did not go out.
     */
    async 'engine.openTask'(params: OpenTaskParams): Promise<TaskProjection> {
      const em = deps.orm.em.fork();
      const at = now().toISOString();
      const { task, recipients } = await em.transactional(async (tx) => {
        await tx.execute(
          `insert into task (id, instance_id, template_key, step_id, title, description, assignee, candidate_role,
             candidate_users, candidate_where, outcomes, form, priority, due_at, status, reminders_sent, escalation_level,
             created_at, updated_at)
           values (?, ?, ?, ?, ?, ?, ?, ?, array(select jsonb_array_elements_text(?::jsonb)), ?::jsonb,
             array(select jsonb_array_elements_text(?::jsonb)), ?::jsonb, ?, ?::timestamptz, 'open', 0, 0, ?, ?)
           on conflict (id) do nothing`,
          [params.taskId, params.instanceId, params.templateKey, params.stepId, params.title, params.description,
            params.assignee, params.candidates.role, JSON.stringify(params.candidates.users), JSON.stringify(params.candidates.where),
            JSON.stringify(params.outcomes), params.form ? JSON.stringify(params.form) : null, params.priority, params.dueAt, at, at],
        );
        const locked = await lockTask(tx, params.taskId);
        const earlier = await findTaskEvent(tx, params.taskId, OPENED);
        if (earlier) return { task: locked, recipients: recipientsOf(earlier) };
        const chosen = params.notify ? await taskRecipients(tx, locked) : [];
        await recordTaskEvent(tx, {
          taskId: params.taskId, eventKey: OPENED, type: OPENED, actor: null, at: new Date(at), detail: { recipients: chosen },
        });
        return { task: locked, recipients: chosen };
      });
      await sendTaskMails(deps, task, OPENED, 'opened', recipients);
      return toTaskView(task);
    },

    /**
     * Records the completion the workflow accepted. Completing again with the same outcome is a
     * no-op (a retry); any other change to a closed task is refused without retrying.
     */
    async 'engine.completeTask'(params: CompleteTaskParams): Promise<TaskProjection> {
      const em = deps.orm.em.fork();
      const task = await em.transactional(async (tx) => {
        const locked = await lockTask(tx, params.taskId);
        if (locked.status === 'completed' && locked.outcome === params.outcome) return locked;
        if (locked.status !== 'open') {
          throw ApplicationFailure.create({
            type: 'task.not-open', nonRetryable: true,
            message: `task ${params.taskId} is ${locked.status}${locked.outcome ? ` (${locked.outcome})` : ''}; cannot complete it as ${params.outcome}`,
          });
        }
        const completedAt = new Date(params.completedAt);
        Object.assign(locked, {
          status: 'completed', outcome: params.outcome, formData: params.form, comment: params.comment,
          completedBy: params.completedBy, completedAt, updatedAt: completedAt,
        } satisfies Partial<Task>);
        await recordTaskEvent(tx, {
          taskId: params.taskId, eventKey: COMPLETED, type: COMPLETED, actor: params.completedBy, at: completedAt,
          detail: { outcome: params.outcome, comment: params.comment },
        });
        return locked;
      });
      return toTaskView(task);
    },
  };
}
