import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { formRequiresInput } from '../../contracts/task-form';
import { localiseTask } from '../../contracts/task-localisation';
import type { EngineUser, TaskRow } from '../../db/entities';
import { linkLocaleOf, type LinkLocale } from '../../db/links';
import { UserRepository } from '../../db/repositories';
import type { ActivityDeps } from '../deps';
import { mintLink, publicPageUrl, taskActionExpiry } from '../links/mail-links';
import { sendMail } from '../mail';
import { builtinMailTemplates } from '../mail-templates/load';
import { renderMail } from '../mail-templates/render';
import { formatMailDateTime } from '../mail-templates/value-formats';
import type { TaskPriority } from '../../dsl/plan';

export type TaskMailKind = 'opened' | 'reminded' | 'escalated' | 'delegated' | 'withdrawn';

const TEMPLATE_OF: Record<TaskMailKind, string> = {
  opened: 'task-assigned',
  reminded: 'task-reminder',
  escalated: 'task-escalated',
  delegated: 'task-delegated',
  withdrawn: 'task-withdrawn',
};

/** Who a task mail speaks to: a user (their name and language, links that act as them) or a bare address. */
interface TaskMailReader {
  address: string;
  user: EngineUser | null;
  locale: LinkLocale;
}

/** Priorities in the reader's words (English keeps the engine's own, which templates and filters use). */
const PRIORITY_WORDS: Record<LinkLocale, Record<TaskPriority, string>> = {
  en: { low: 'low', normal: 'normal', high: 'high', urgent: 'urgent' },
  'zh-CN': { low: '低', normal: '普通', high: '高', urgent: '紧急' },
};

/**
 * The data of a task mail's template: the task, the page it is worked on, and one single-use link
 * per outcome when it needs no form and the reader is a user the link can act as.
 */
export function taskMailData(
  deps: Pick<ActivityDeps, 'linkSecret' | 'publicUrl'>,
  task: TaskRow,
  kind: TaskMailKind,
  reader: TaskMailReader,
  now: Date,
): Record<string, unknown> {
  const expiresAt = taskActionExpiry(task.dueAt, now);
  const texts = localiseTask(task, reader.locale);
  const oneClick = reader.user !== null && task.status === 'open' && !formRequiresInput(task.form);
  const actions = oneClick
    ? task.outcomes.flatMap((outcome) => {
        const url = mintLink(deps, {
          kind: 'task-action',
          subject: task.id,
          action: outcome,
          recipient: (reader.user as EngineUser).id,
          locale: reader.locale,
          expiresAt,
        });
        return url === null ? [] : [{ outcome, label: texts.outcomeLabels[outcome] ?? outcome, url }];
      })
    : [];
  return {
    assigneeName: reader.user?.name ?? reader.address,
    processName: task.templateKey,
    taskTitle: texts.title,
    taskDescription: texts.description,
    priority: PRIORITY_WORDS[reader.locale][task.priority],
    dueDate: task.dueAt ? formatMailDateTime(task.dueAt, reader.locale) : null,
    overdue: kind === 'reminded' && task.dueAt !== null && task.dueAt !== undefined && task.dueAt <= now,
    escalationLevel: task.escalationLevel,
    taskUrl: publicPageUrl(deps, `/tasks/${encodeURIComponent(task.id)}`),
    actions,
    actionsValidUntil: formatMailDateTime(expiresAt, reader.locale),
  };
}

/**
 * One outbox key per task, event and recipient: a retried activity (or a concurrent duplicate)
 * finds the mail it already sent. Long task ids are hashed to fit the outbox's 255 characters.
 */
export function taskMailKey(taskId: string, eventKey: string, recipient: string): string {
  const key = `task/${taskId}/${eventKey}/${recipient.toLowerCase()}`;
  return key.length <= 255 ? key : `task/sha256/${createHash('sha256').update(key).digest('hex')}`;
}

/** The readers behind the addresses: an address shared by several active users speaks to no one user. */
async function readersOf(deps: ActivityDeps, recipients: readonly string[]): Promise<TaskMailReader[]> {
  const users = await new UserRepository().findActiveByEmails(deps.orm.em.fork(), recipients);
  const byAddress = new Map<string, EngineUser[]>();
  for (const user of users)
    byAddress.set(user.email.toLowerCase(), [...(byAddress.get(user.email.toLowerCase()) ?? []), user]);
  return recipients.map((address) => {
    const found = byAddress.get(address.trim().toLowerCase()) ?? [];
    const user = found.length === 1 ? (found[0] as EngineUser) : null;
    return { address, user, locale: linkLocaleOf(user ? String(user.attributes['locale'] ?? '') : null) };
  });
}

/**
 * Mails each recipient through the outbox, in their language (their user's `locale` attribute,
 * else English); an address the outbox refuses is logged and skipped.
 */
export async function sendTaskMails(
  deps: ActivityDeps,
  task: TaskRow,
  eventKey: string,
  kind: TaskMailKind,
  recipients: readonly string[],
): Promise<void> {
  if (recipients.length === 0) return;
  const now = (deps.now ?? (() => new Date()))();
  for (const reader of await readersOf(deps, recipients)) {
    const data = taskMailData(deps, task, kind, reader, now);
    const mail = renderMail(TEMPLATE_OF[kind], reader.locale, data, deps.mailTemplates ?? builtinMailTemplates());
    try {
      await sendMail(
        {
          to: reader.address,
          subject: mail.subject,
          text: mail.text,
          ...(mail.html === undefined ? {} : { html: mail.html }),
          idempotencyKey: taskMailKey(task.id, eventKey, reader.address),
        },
        deps,
      );
    } catch (error) {
      if (!(error instanceof ApplicationFailure && error.type === 'mail.invalid-recipient')) throw error;
      deps.logger.warn({ taskId: task.id, eventKey, to: reader.address }, 'task mail skipped: not an e-mail address');
    }
  }
}
