import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DomainError } from '../../contracts/failures';
import type { Locale } from '../../contracts/locales';
import { localiseTask } from '../../contracts/task-localisation';
import { hasRight } from '../../contracts/roles';
import type { Json } from '../../dsl/plan';
import type { TaskRow } from '../../db/entities';
import type { Principal } from '../principal';
import type { EngineContext } from '../engine-deps';
import { forbidden, principalOf } from '../plugins/auth';
import { ProblemError } from '../problem-error';
import { Problem } from '../schemas/problem';
import { IdempotencyHeaders } from '../schemas/instances';
import {
  CompleteTaskBody,
  DelegateTaskBody,
  Task as TaskSchema,
  TaskCompleted,
  TaskIdParam,
  TaskListQuery,
  TaskPage,
  TaskState,
} from '../schemas/tasks';
import { claimTask, completeTask, delegateTask, releaseTask } from '../services/task-actions';
import { assertMayDelegateTo } from '../services/task-delegation';
import { teamIdsOf } from '../access/record-scope';
import { recordApiAction } from '../services/request-audit';
import { requestLocale } from '../request-locale';

/** The task as the API shows it, its template's texts in the request's locale. */
function taskBody(row: TaskRow, locale: Locale) {
  const texts = localiseTask(row, locale);
  return {
    id: row.id,
    instanceId: row.instanceId,
    templateKey: row.templateKey,
    stepId: row.stepId,
    title: texts.title,
    description: texts.description,
    assignee: row.assignee ?? null,
    candidateRole: row.candidateRole ?? null,
    candidateUsers: row.candidateUsers,
    outcomes: row.outcomes,
    outcomeLabels: texts.outcomeLabels,
    form: texts.form as Record<string, unknown> | null,
    priority: row.priority,
    dueAt: row.dueAt?.toISOString() ?? null,
    status: row.status,
    outcome: row.outcome ?? null,
    formData: row.formData ?? null,
    comment: row.comment ?? null,
    completedBy: row.completedBy ?? null,
    completedAt: row.completedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

const isAdmin = (principal: Principal) => hasRight(principal.roles, 'tasks.see-all');
const wasCandidate = (principal: Principal, row: TaskRow) =>
  row.assignee === principal.userId ||
  row.candidateUsers.includes(principal.userId) ||
  (row.candidateRole !== null && row.candidateRole !== undefined && principal.roles.includes(row.candidateRole));
const actorOf = (principal: Principal) => ({ userId: principal.userId, roles: principal.roles });
const inboxUser = (principal: Principal) => ({
  id: principal.userId,
  roles: principal.roles,
  attributes: principal.attributes,
});

/** The task inbox and the actions on a task; the workflow decides (by Update) whether an action stands. */
const taskRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  /**
   * A task the principal may see: in their inbox, any for administrators, and a closed one they
   * could have acted on, so that acting on it again is a 409 (closed), not a 404. To hand a task
   * on, a manager also reaches the tasks assigned to the team they lead (and only to delegate:
   * completing a team member's task stays theirs).
   */
  async function visibleTask(
    principal: Principal,
    id: string,
    purpose: 'read' | 'act' | 'delegate' = 'read',
  ): Promise<TaskRow> {
    const em = ctx.orm.em.fork();
    const row = await ctx.tasks.get(em, id);
    if (
      row &&
      purpose === 'act' &&
      row.status === 'open' &&
      (row.excludedUsers ?? []).includes(principal.userId) &&
      (isAdmin(principal) || wasCandidate(principal, row))
    ) {
      // Four-eyes: they would be a candidate but own the record under approval (their queue hides it).
      throw new DomainError('task.four-eyes', `${principal.userId} may not decide task ${id}: four-eyes rule`);
    }
    if (
      row &&
      (isAdmin(principal) ||
        (row.status !== 'open' && wasCandidate(principal, row)) ||
        (purpose === 'delegate' && (await assignedToTeamOf(principal, row))) ||
        (await ctx.tasks.inbox(em, inboxUser(principal), { instanceId: row.instanceId, limit: 200 })).items.some(
          (t) => t.id === id,
        ))
    ) {
      return row;
    }
    throw new ProblemError({
      status: 404,
      type: 'task-not-found',
      title: 'Not Found',
      detail: `No task '${id}' in your inbox.`,
    });
  }

  /** Whether the task is assigned to a member of the team the principal leads, a manager who may delegate others' tasks. */
  async function assignedToTeamOf(principal: Principal, row: TaskRow): Promise<boolean> {
    if (!row.assignee || !hasRight(principal.roles, 'tasks.delegate-others')) return false;
    return (await teamIdsOf(principal, ctx.users, ctx.orm.em.fork())).includes(row.assignee);
  }

  app.get(
    '/tasks',
    {
      config: { permission: 'tasks.work' },
      schema: {
        tags: ['tasks'],
        summary: 'My inbox: tasks assigned to me and open tasks I am a candidate for',
        description: "Administrators may pass `assignee=<user id>` to see anyone's tasks.",
        querystring: TaskListQuery,
        response: { 200: TaskPage, 400: Problem },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const q = request.query;
      const filters = {
        candidateRole: q.candidateRole,
        status: q.status,
        dueBefore: q.dueBefore,
        templateKey: q.template,
        cursor: q.cursor,
        limit: q.limit,
        ...(q.assignee ? { assignee: q.assignee === 'me' ? principal.userId : q.assignee } : {}),
      };
      const em = ctx.orm.em.fork();
      const page =
        isAdmin(principal) && q.assignee && q.assignee !== 'me'
          ? await ctx.tasks.list(em, filters)
          : await ctx.tasks.inbox(em, inboxUser(principal), filters);
      return { items: page.items.map((row) => taskBody(row, requestLocale(request))), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/tasks/:id',
    {
      config: { permission: 'tasks.work' },
      schema: {
        tags: ['tasks'],
        summary: 'One task',
        params: TaskIdParam,
        response: { 200: TaskSchema, 404: Problem },
      },
    },
    async (request) => taskBody(await visibleTask(principalOf(request), request.params.id), requestLocale(request)),
  );

  app.post(
    '/tasks/:id/claim',
    {
      config: { permission: 'tasks.work' },
      schema: {
        tags: ['tasks'],
        summary: 'Take an open task as its assignee',
        params: TaskIdParam,
        response: { 200: TaskState, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const task = await visibleTask(principal, request.params.id, 'act');
      const view = await claimTask(ctx.client, { instanceId: task.instanceId, taskId: task.id }, actorOf(principal));
      await recordApiAction(ctx.orm, 'task.claim', `task:${task.id}`, { assignee: view.assignee });
      return { ...view, outcome: view.outcome ?? undefined };
    },
  );

  app.post(
    '/tasks/:id/complete',
    {
      config: { permission: 'tasks.work' },
      schema: {
        tags: ['tasks'],
        summary: 'Complete a task with an outcome and form data',
        description:
          'Returns once the workflow has accepted and recorded the completion; the inbox shows it completed from then on. A second completion gets 409 and changes nothing.',
        params: TaskIdParam,
        headers: IdempotencyHeaders,
        body: CompleteTaskBody,
        response: { 200: TaskCompleted, 403: Problem, 404: Problem, 409: Problem, 422: Problem },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const task = await visibleTask(principal, request.params.id, 'act');
      if (task.assignee && task.assignee !== principal.userId && !isAdmin(principal)) {
        throw forbidden(`Task '${task.id}' is assigned to ${task.assignee}.`);
      }
      const completion = await completeTask(
        ctx.client,
        { instanceId: task.instanceId, taskId: task.id },
        {
          outcome: request.body.outcome,
          form: request.body.form as Record<string, Json> | undefined,
          comment: request.body.comment,
        },
        actorOf(principal),
        request.headers['idempotency-key'],
      );
      await recordApiAction(ctx.orm, 'task.complete', `task:${task.id}`, { outcome: completion.outcome });
      return completion;
    },
  );

  app.post(
    '/tasks/:id/delegate',
    {
      config: { permission: 'tasks.work' },
      schema: {
        tags: ['tasks'],
        summary: "Hand a task to another user (its assignee, or the manager of the assignee's team)",
        description:
          "Only to an active person who could be a candidate of the task (its named users, or a holder of its candidate role passing its attribute filter; for a task assigned to one person without candidates, someone sharing an inbox role of the person the process named), never to one the four-eyes rule excludes (403 `four-eyes`), and from a manager reassigning a team member's task only to someone of that team (403 `delegate-outside-team`). A non-candidate is 422 `delegate-not-candidate`; nothing changes on a refusal.",
        params: TaskIdParam,
        body: DelegateTaskBody,
        response: { 200: TaskState, 403: Problem, 404: Problem, 409: Problem, 422: Problem },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const task = await visibleTask(principal, request.params.id, 'delegate');
      const target = await assertMayDelegateTo(ctx.orm.em.fork(), ctx.users, principal, task, request.body.to);
      const view = await delegateTask(
        ctx.client,
        { instanceId: task.instanceId, taskId: task.id },
        actorOf(principal),
        target.id,
      );
      await recordApiAction(ctx.orm, 'task.delegate', `task:${task.id}`, { assignee: view.assignee });
      return { ...view, outcome: view.outcome ?? undefined };
    },
  );

  app.post(
    '/tasks/:id/release',
    {
      config: { permission: 'tasks.work' },
      schema: {
        tags: ['tasks'],
        summary: 'Give a task one holds back to its candidates',
        description:
          "The assignee gives the task up: it is unassigned and back in its candidates' queue. A task without candidates (assigned to one person by the process) cannot be released (422 `release-invalid`); delegate it instead.",
        params: TaskIdParam,
        response: { 200: TaskState, 403: Problem, 404: Problem, 409: Problem, 422: Problem },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const task = await visibleTask(principal, request.params.id, 'act');
      const view = await releaseTask(ctx.client, { instanceId: task.instanceId, taskId: task.id }, actorOf(principal));
      await recordApiAction(ctx.orm, 'task.release', `task:${task.id}`, { assignee: null });
      return { ...view, outcome: view.outcome ?? undefined };
    },
  );
};

export default taskRoutes;
