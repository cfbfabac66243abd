import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Json } from '../../dsl/plan';
import type { TaskRow } from '../../db/entities';
import type { Principal } from '../principal';
import type { EngineContext } from '../engine-deps';
import { principalOf } from '../plugins/auth';
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
import { assertMayComplete, inboxUser, isTaskAdmin, visibleTask as visibleTaskOf } from '../services/task-access';
import { recordApiAction } from '../services/request-audit';

function taskBody(row: TaskRow) {
  return {
    id: row.id,
    instanceId: row.instanceId,
    templateKey: row.templateKey,
    stepId: row.stepId,
    title: row.title,
    description: row.description ?? null,
    assignee: row.assignee ?? null,
    candidateRole: row.candidateRole ?? null,
    candidateUsers: row.candidateUsers,
    outcomes: row.outcomes,
    form: (row.form ?? null) as Record<string, unknown> | null,
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

const actorOf = (principal: Principal) => ({ userId: principal.userId, roles: principal.roles });

/** The task inbox and the actions on a task; the workflow decides (by Update) whether an action stands. */
const taskRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  const visibleTask = (principal: Principal, id: string, purpose?: 'read' | 'act' | 'delegate') =>
    visibleTaskOf(ctx, principal, id, purpose);

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
        isTaskAdmin(principal) && q.assignee && q.assignee !== 'me'
          ? await ctx.tasks.list(em, filters)
          : await ctx.tasks.inbox(em, inboxUser(principal), filters);
      return { items: page.items.map(taskBody), nextCursor: page.nextCursor };
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
    async (request) => taskBody(await visibleTask(principalOf(request), request.params.id)),
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
      assertMayComplete(principal, task);
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
