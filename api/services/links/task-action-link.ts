import type { TaskCompletion } from '../../../contracts/engine';
import type { Locale } from '../../../contracts/locales';
import { formRequiresInput } from '../../../contracts/task-form';
import { localiseTask } from '../../../contracts/task-localisation';
import type { AuditActor } from '../../../db/audit/audit-context';
import { runAsAuditActor } from '../../../db/audit/audit-context';
import type { EngineUser, TaskRow } from '../../../db/entities';
import type { SignedLink } from '../../../db/links';
import type { EngineContext } from '../../engine-deps';
import type { UserPrincipal } from '../../principal';
import { ProblemError } from '../../problem-error';
import { recordApiAction } from '../request-audit';
import { TaskWork } from '../task-work';
import { completeTask } from '../task-actions';
import { linkFailure, linkNotFound, useLink } from './link-access';

/** What a mail action page shows: the task, the outcome the link gives and who it acts as. */
export interface TaskActionView {
  task: {
    id: string;
    title: string;
    description: string | null;
    outcome: string;
    outcomeLabel: string;
    status: string;
    /** The outcome the task was closed with (by anyone): the page tells "approved by …" from "rejected". */
    closedOutcome: string | null;
    completedBy: string | null;
    completedAt: string | null;
  };
  recipientName: string;
}

/** The recipient acting: as the sign-in would make them, without a session. */
function principalOfUser(user: EngineUser): UserPrincipal {
  return {
    kind: 'user',
    sessionId: null,
    userId: user.id,
    name: user.name,
    email: user.email,
    roles: [...user.roles],
    attributes: user.attributes as Record<string, unknown>,
    managerId: user.managerId ?? null,
  };
}

async function loadTaskAndRecipient(
  ctx: EngineContext,
  link: SignedLink,
): Promise<{ task: TaskRow; user: EngineUser | null }> {
  const em = ctx.orm.em.fork();
  const task = await ctx.tasks.get(em, link.subject);
  if (!task) throw linkNotFound();
  return { task, user: await ctx.users.get(em, link.recipient) };
}

async function nameOf(ctx: EngineContext, userId: string | null | undefined): Promise<string | null> {
  if (!userId) return null;
  return (await ctx.users.get(ctx.orm.em.fork(), userId))?.name ?? userId;
}

async function viewOf(
  ctx: EngineContext,
  link: SignedLink,
  task: TaskRow,
  user: EngineUser | null,
  locale: Locale,
): Promise<TaskActionView> {
  const outcome = link.action ?? '';
  const texts = localiseTask(task, locale);
  return {
    task: {
      id: task.id,
      title: texts.title,
      description: texts.description,
      outcome,
      outcomeLabel: texts.outcomeLabels[outcome] ?? outcome,
      status: task.status,
      closedOutcome: task.outcome ?? null,
      completedBy: await nameOf(ctx, task.completedBy),
      completedAt: task.completedAt?.toISOString() ?? null,
    },
    recipientName: user?.name ?? link.recipient,
  };
}

export async function viewTaskActionLink(
  ctx: EngineContext,
  link: SignedLink,
  locale: Locale,
): Promise<TaskActionView> {
  const { task, user } = await loadTaskAndRecipient(ctx, link);
  return viewOf(ctx, link, task, user, locale);
}

/** The 409 of a task closed before the link was used, saying by whom and when. */
async function closedFailure(ctx: EngineContext, taskId: string): Promise<ProblemError> {
  const task = await ctx.tasks.get(ctx.orm.em.fork(), taskId);
  const completedBy = await nameOf(ctx, task?.completedBy);
  const completedAt = task?.completedAt?.toISOString() ?? null;
  return linkFailure(
    'task.closed',
    completedBy ? `${completedBy} completed this task at ${completedAt} already.` : 'This task is closed already.',
    { completedBy, completedAt, outcome: task?.outcome ?? null, status: task?.status ?? null },
  );
}

/**
 * Completes the task with the link's outcome as the mail's recipient, through the checks the task
 * routes make (visibility, four-eyes, assignee), recorded in the audit trail with the recipient as
 * the actor. The link is marked used in the same transaction, so a failed completion leaves it usable.
 */
export async function actOnTaskActionLink(
  ctx: EngineContext,
  link: SignedLink,
  where: AuditActor,
  locale: Locale,
): Promise<TaskActionView & { completion: TaskCompletion }> {
  const { task, user } = await loadTaskAndRecipient(ctx, link);
  if (!user?.active) throw linkFailure('link.recipient-invalid', 'The person this link was sent to may no longer act.');
  if (task.status !== 'open') throw await closedFailure(ctx, task.id);
  if (formRequiresInput(task.form))
    throw linkFailure('link.form-required', 'This task needs its form: open it in the app.');
  const principal = principalOfUser(user);
  const actor: AuditActor = { ...where, actor: `user:${user.id}`, onBehalfOf: `user:${user.id}` };
  return runAsAuditActor(
    () => actor,
    async () => {
      const visible = await new TaskWork(ctx).completableTask(principal, task.id);
      let completion: TaskCompletion;
      try {
        completion = await ctx.orm.em.fork().transactional(async (em) => {
          await useLink(em, link);
          return completeTask(
            ctx.client,
            { instanceId: visible.instanceId, taskId: visible.id },
            { outcome: link.action ?? '' },
            { userId: user.id, roles: [...user.roles], name: user.name },
            `link:${link.id}`,
          );
        });
      } catch (error) {
        if (error instanceof ProblemError && error.status === 409 && error.type === 'task-closed')
          throw await closedFailure(ctx, task.id);
        throw error;
      }
      await recordApiAction(ctx.orm, 'task.complete', `task:${task.id}`, {
        outcome: completion.outcome,
        via: 'mail-link',
        link: link.id,
      });
      const after = (await ctx.tasks.get(ctx.orm.em.fork(), task.id)) ?? task;
      return { ...(await viewOf(ctx, link, after, user, locale)), completion };
    },
  );
}
