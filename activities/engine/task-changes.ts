import type { EntityManager } from '@mikro-orm/postgresql';
import type { Json } from '../../dsl/plan';
import type { TaskRow } from '../../db/entities';
import { TaskRepository } from '../../db/repositories';
import { defineEngineActivity } from '../activity-definition';
import { TASK_WITHDRAWN, type TaskChange, type TaskProjection, type UpdateTaskParams } from '../../contracts/engine';
import { sendTaskMails, type TaskMailKind } from './task-mail';
import { listedRecipients, taskRecipients } from './task-recipients';
import { lockTask, recipientsOf, toTaskView } from './tasks';

interface Applied {
  actor: string | null;
  detail: Record<string, Json>;
  /** Who to mail about it, decided once and stored in the event. */
  recipients: string[];
}

/** Changes the locked, open task as `change` says; returns what the event records. */
async function applyChange(em: EntityManager, task: TaskRow, change: TaskChange): Promise<Applied> {
  switch (change.type) {
    case 'claimed':
      task.assignee = change.by;
      return { actor: change.by, detail: {}, recipients: [] };
    case 'delegated': {
      const from = task.assignee ?? null;
      task.assignee = change.to;
      return { actor: change.by, detail: { from, to: change.to }, recipients: await taskRecipients(em, task) };
    }
    case 'released': {
      const from = task.assignee ?? null;
      task.assignee = null;
      return { actor: change.by, detail: { from }, recipients: [] };
    }
    case 'reminded':
      task.remindersSent = Math.max(task.remindersSent, change.count);
      return { actor: null, detail: { count: change.count }, recipients: await taskRecipients(em, task) };
    case 'escalated': {
      const before = {
        assignee: task.assignee ?? null,
        candidateRole: task.candidateRole ?? null,
        priority: task.priority,
      };
      task.escalationLevel = Math.max(task.escalationLevel, change.level);
      if (change.candidates) {
        task.candidateRole = change.candidates.role;
        task.candidateUsers = [...change.candidates.users];
        task.candidateWhere = { ...change.candidates.where };
        if (change.assignee === undefined) task.assignee = null;
      }
      if (change.assignee !== undefined) task.assignee = change.assignee;
      if (change.priority) task.priority = change.priority;
      // A reassigned task must reach the people now holding it, as a new or delegated task does;
      // without this a support lead would never hear of the breached ticket handed to the role.
      const reassigned = change.candidates !== undefined || change.assignee !== undefined;
      const listed = await listedRecipients(em, change.notify ?? []);
      return {
        actor: null,
        detail: {
          level: change.level,
          before,
          after: {
            assignee: task.assignee ?? null,
            candidateRole: task.candidateRole ?? null,
            priority: task.priority,
          },
        },
        recipients: reassigned ? uniqueRecipients([...listed, ...(await taskRecipients(em, task))]) : listed,
      };
    }
    case 'cancelled': {
      // Withdrawn: whoever could still act on it hears it is no longer needed. A task cancelled
      // with its instance (an operator's cancel, a failure) is not mailed: the whole case is off.
      const recipients = change.reason === TASK_WITHDRAWN ? await taskRecipients(em, task) : [];
      task.status = 'cancelled';
      return { actor: null, detail: { reason: change.reason }, recipients };
    }
  }
}

const MAIL_KIND: Partial<Record<TaskChange['type'], TaskMailKind>> = {
  delegated: 'delegated',
  reminded: 'reminded',
  escalated: 'escalated',
};

function mailKindOf(change: TaskChange): TaskMailKind | undefined {
  if (change.type === 'cancelled') return change.reason === TASK_WITHDRAWN ? 'withdrawn' : undefined;
  return MAIL_KIND[change.type];
}

const tasks = new TaskRepository();

export const updateTaskActivity = defineEngineActivity({
  name: 'engine.updateTask',
  /**
   * Applies one named change to an open task: claim, delegate, release, remind, escalate or cancel
   * (withdraw: a cancel whose people are told).
   * `(taskId, eventKey)` is recorded with the change in one transaction, so a retry or a
   * concurrent duplicate finds the event and changes nothing; mails go out after the commit
   * to the recipients stored in the event, each once. A change to a closed task is ignored.
   */
  async run(params: UpdateTaskParams, deps): Promise<TaskProjection> {
    const em = deps.orm.em.fork();
    const { task, recipients } = await em.transactional(async (tx) => {
      const locked = await lockTask(tx, params.taskId);
      const earlier = await tasks.findEvent(tx, params.taskId, params.eventKey);
      if (earlier) return { task: locked, recipients: recipientsOf(earlier) };
      // Closing is final: a reminder or escalation that lost the race with completion does nothing.
      if (locked.status !== 'open') return { task: locked, recipients: [] };
      const applied = await applyChange(tx, locked, params.change);
      const at = new Date(params.at);
      locked.updatedAt = at;
      await tasks.recordEvent(tx, {
        taskId: params.taskId,
        eventKey: params.eventKey,
        type: params.change.type,
        actor: applied.actor,
        at,
        detail: { ...applied.detail, recipients: applied.recipients },
      });
      return { task: locked, recipients: applied.recipients };
    });
    const kind = mailKindOf(params.change);
    if (kind) await sendTaskMails(deps, task, params.eventKey, kind, recipients);
    return toTaskView(task);
  },
});

function uniqueRecipients(addresses: readonly string[]): string[] {
  const seen = new Set<string>();
  return addresses.filter((address) => {
    const normal = address.toLowerCase();
    if (seen.has(normal)) return false;
    seen.add(normal);
    return true;
  });
}
