import { ApplicationFailure } from '@temporalio/activity';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Json } from '../../dsl/plan';
import type { TaskRow } from '../../db/entities';
import { OutOfOfficeRepository, TaskRepository } from '../../db/repositories';
import { defineEngineActivity } from '../activity-definition';
import type { CompleteTaskParams, OpenTaskParams, TaskProjection } from '../../contracts/engine';
import { sendTaskMails } from './task-mail';
import { taskRecipients } from './task-recipients';

const OPENED = 'opened';
const COMPLETED = 'completed';
const tasks = new TaskRepository();
const absences = new OutOfOfficeRepository();

/** The task row, locked for this transaction; every writer of a task and its events takes this lock first. */
export async function lockTask(em: EntityManager, taskId: string): Promise<TaskRow> {
  const task = await tasks.lock(em, taskId);
  if (!task) {
    throw ApplicationFailure.create({
      type: 'task.not-found',
      message: `no task ${taskId} in the projection`,
      nonRetryable: true,
    });
  }
  return task;
}

/** The addresses an event decided to mail, so a retry mails the same people even if the task changed since. */
export function recipientsOf(event: { detail?: Record<string, unknown> | null }): string[] {
  const recipients = event.detail?.recipients;
  return Array.isArray(recipients) ? recipients.filter((r): r is string => typeof r === 'string') : [];
}

export const openTaskActivity = defineEngineActivity({
  name: 'engine.openTask',
  /**
   * Projects a new task and notifies its assignee or candidates once. An assignee who is out of
   * office is replaced by their rule's delegate; the `opened` event says so. The row and its `opened`
   * event are written once whatever the retries; the recipients are fixed in that event, and
   * each mail has its own outbox key, so a retry resends only what did not go out.
   */
  async run(params: OpenTaskParams, deps): Promise<TaskProjection> {
    const em = deps.orm.em.fork();
    const at = (deps.now ?? (() => new Date()))().toISOString();
    const { task, recipients } = await em.transactional(async (tx) => {
      const cover = await coverFor(tx, params, new Date(at));
      const inserted = await tasks.insertOpen(tx, params, at, cover ?? params.assignee);
      // A row this transaction inserted is locked by it, and no event can be recorded for it yet:
      // only a retry (the row was there) reads and locks it and looks for its `opened` event.
      const locked = inserted ?? (await lockTask(tx, params.taskId));
      const earlier = inserted ? null : await tasks.findEvent(tx, params.taskId, OPENED);
      if (earlier) return { task: locked, recipients: recipientsOf(earlier) };
      const chosen = params.notify ? await taskRecipients(tx, locked) : [];
      // The first attempt's row decides (a retry may see another rule): recorded as the row has it.
      const outOfOffice: Record<string, Json> =
        locked.openedAssignee && locked.assignee !== locked.openedAssignee
          ? { outOfOffice: { absent: locked.openedAssignee, delegate: locked.assignee ?? null } }
          : {};
      await tasks.recordEvent(tx, {
        taskId: params.taskId,
        eventKey: OPENED,
        type: OPENED,
        actor: null,
        at: new Date(at),
        detail: { recipients: chosen, ...outOfOffice },
      });
      return { task: locked, recipients: chosen };
    });
    await sendTaskMails(deps, task, OPENED, 'opened', recipients);
    return toTaskView(task);
  },
});

/**
 * Who takes a task that opens assigned to someone out of office: their rule's delegate, unless
 * the four-eyes rule shuts the delegate out (then the absent assignee keeps it). Queue tasks
 * (no assignee) are left to their candidates.
 */
async function coverFor(em: EntityManager, params: OpenTaskParams, at: Date): Promise<string | null> {
  if (!params.assignee) return null;
  const delegate = await absences.delegateAt(em, params.assignee, at);
  return delegate && !(params.excludedUsers ?? []).includes(delegate) ? delegate : null;
}

export const completeTaskActivity = defineEngineActivity({
  name: 'engine.completeTask',
  /**
   * Records the completion the workflow accepted. Completing again with the same outcome is a
   * no-op (a retry); any other change to a closed task is refused without retrying.
   */
  async run(params: CompleteTaskParams, deps): Promise<TaskProjection> {
    const em = deps.orm.em.fork();
    const task = await em.transactional(async (tx) => {
      const locked = await lockTask(tx, params.taskId);
      if (locked.status === 'completed' && locked.outcome === params.outcome) return locked;
      if (locked.status !== 'open') {
        throw ApplicationFailure.create({
          type: 'task.not-open',
          nonRetryable: true,
          message: `task ${params.taskId} is ${locked.status}${locked.outcome ? ` (${locked.outcome})` : ''}; cannot complete it as ${params.outcome}`,
        });
      }
      const completedAt = new Date(params.completedAt);
      Object.assign(locked, {
        status: 'completed',
        outcome: params.outcome,
        formData: params.form,
        comment: params.comment,
        completedBy: params.completedBy,
        completedAt,
        updatedAt: completedAt,
      } satisfies Partial<TaskRow>);
      await tasks.recordEvent(tx, {
        taskId: params.taskId,
        eventKey: COMPLETED,
        type: COMPLETED,
        actor: params.completedBy,
        at: completedAt,
        detail: { outcome: params.outcome, comment: params.comment },
      });
      return locked;
    });
    return toTaskView(task);
  },
});

/** The projection row in the shape the workflow and the API speak. */
export function toTaskView(task: TaskRow): TaskProjection {
  return {
    taskId: task.id,
    stepId: task.stepId,
    title: task.title,
    ...(task.texts ? { texts: task.texts } : {}),
    assignee: task.assignee ?? null,
    candidateRole: task.candidateRole ?? null,
    candidateUsers: [...task.candidateUsers],
    outcomes: [...task.outcomes],
    priority: task.priority,
    dueAt: task.dueAt ? task.dueAt.toISOString() : null,
    status: task.status,
    outcome: task.outcome ?? null,
    remindersSent: task.remindersSent,
    escalationLevel: task.escalationLevel,
  };
}
