import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { TaskRow } from '../../db/entities';
import type { ActivityDeps } from '../deps';
import { sendMail } from '../mail';

export type TaskMailKind = 'opened' | 'reminded' | 'escalated' | 'delegated';

const SUBJECT_PREFIX: Record<TaskMailKind, string> = {
  opened: 'New task',
  reminded: 'Reminder',
  escalated: 'Escalated',
  delegated: 'Delegated to you',
};

/** The mail's text: what the task is, where it comes from, what answers it takes and by when. */
export function composeTaskMail(task: TaskRow, kind: TaskMailKind): { subject: string; text: string } {
  const lines = [
    `${SUBJECT_PREFIX[kind]}: ${task.title}`,
    '',
    ...(task.description ? [task.description, ''] : []),
    `Process: ${task.templateKey} (instance ${task.instanceId}), step ${task.stepId}`,
    `Priority: ${task.priority}`,
    ...(task.dueAt ? [`Due: ${task.dueAt.toISOString()}`] : []),
    ...(kind === 'escalated' ? [`Escalation level: ${task.escalationLevel}`] : []),
    `Outcomes: ${task.outcomes.join(', ')}`,
    `Task id: ${task.id}`,
  ];
  return { subject: `${SUBJECT_PREFIX[kind]}: ${task.title}`.slice(0, 255), text: `${lines.join('\n')}\n` };
}

/**
 * One outbox key per task, event and recipient: a retried activity (or a concurrent duplicate)
 * finds the mail it already sent. Long task ids are hashed to fit the outbox's 255 characters.
 */
export function taskMailKey(taskId: string, eventKey: string, recipient: string): string {
  const key = `task/${taskId}/${eventKey}/${recipient.toLowerCase()}`;
  return key.length <= 255 ? key : `task/sha256/${createHash('sha256').update(key).digest('hex')}`;
}

/** Mails each recipient through the outbox; an address the outbox refuses is logged and skipped. */
export async function sendTaskMails(
  deps: ActivityDeps,
  task: TaskRow,
  eventKey: string,
  kind: TaskMailKind,
  recipients: readonly string[],
): Promise<void> {
  if (recipients.length === 0) return;
  const { subject, text } = composeTaskMail(task, kind);
  for (const to of recipients) {
    try {
      await sendMail({ to, subject, text, idempotencyKey: taskMailKey(task.id, eventKey, to) }, deps);
    } catch (error) {
      if (!(error instanceof ApplicationFailure && error.type === 'mail.invalid-recipient')) throw error;
      deps.logger.warn({ taskId: task.id, eventKey, to }, 'task mail skipped: not an e-mail address');
    }
  }
}
