import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { hasRight } from '../../contracts/roles';
import type { Json } from '../../dsl/plan';
import type { TaskRow } from '../../db/entities';
import type { Caller } from '../caller';
import type { EngineContext } from '../engine-deps';
import { callerOf } from '../plugins/auth';
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
import { claimTask, completeTask, delegateTask } from '../services/task-actions';

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

const isAdmin = (caller: Caller) => hasRight(caller.roles, 'tasks.see-all');
const wasCandidate = (caller: Caller, row: TaskRow) =>
  row.assignee === caller.userId ||
  row.candidateUsers.includes(caller.userId) ||
  (row.candidateRole !== null && row.candidateRole !== undefined && caller.roles.includes(row.candidateRole));
const actorOf = (caller: Caller) => ({ userId: caller.userId, roles: caller.roles });
const inboxUser = (caller: Caller) => ({ id: caller.userId, roles: caller.roles, attributes: caller.attributes });

/** The task inbox and the actions on a task; the workflow decides (by Update) whether an action stands. */
const taskRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  /**
   * A task the caller may see: in their inbox, any for administrators, and a closed one they
   * could have acted on, so that acting on it again is a 409 (closed), not a 404. To hand a task
   * on, a manager also reaches the tasks assigned to the team they lead (and only to delegate:
   * completing a team member's task stays theirs).
   */
  async function visibleTask(caller: Caller, id: string, purpose: 'act' | 'delegate' = 'act'): Promise<TaskRow> {
    const em = ctx.orm.em.fork();
    const row = await ctx.tasks.get(em, id);
    if (
      row &&
      (isAdmin(caller) ||
        (row.status !== 'open' && wasCandidate(caller, row)) ||
        (purpose === 'delegate' && (await assignedToTeamOf(caller, row))) ||
        (await ctx.tasks.inbox(em, inboxUser(caller), { instanceId: row.instanceId, limit: 200 })).items.some(
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

  /** Whether the task is assigned to someone whose manager is the caller, a manager who may delegate others' tasks. */
  async function assignedToTeamOf(caller: Caller, row: TaskRow): Promise<boolean> {
    if (!row.assignee || !hasRight(caller.roles, 'tasks.delegate-others')) return false;
    const assignee = await ctx.users.get(ctx.orm.em.fork(), row.assignee);
    return assignee?.managerId === caller.userId;
  }

  app.get(
    '/tasks',
    {
      schema: {
        tags: ['tasks'],
        summary: 'My inbox: tasks assigned to me and open tasks I am a candidate for',
        description: "Administrators may pass `assignee=<user id>` to see anyone's tasks.",
        querystring: TaskListQuery,
        response: { 200: TaskPage, 400: Problem },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const q = request.query;
      const filters = {
        candidateRole: q.candidateRole,
        status: q.status,
        dueBefore: q.dueBefore,
        templateKey: q.template,
        cursor: q.cursor,
        limit: q.limit,
        ...(q.assignee ? { assignee: q.assignee === 'me' ? caller.userId : q.assignee } : {}),
      };
      const em = ctx.orm.em.fork();
      const page =
        isAdmin(caller) && q.assignee && q.assignee !== 'me'
          ? await ctx.tasks.list(em, filters)
          : await ctx.tasks.inbox(em, inboxUser(caller), filters);
      return { items: page.items.map(taskBody), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/tasks/:id',
    {
      schema: {
        tags: ['tasks'],
        summary: 'One task',
        params: TaskIdParam,
        response: { 200: TaskSchema, 404: Problem },
      },
    },
    async (request) => taskBody(await visibleTask(callerOf(request), request.params.id)),
  );

  app.post(
    '/tasks/:id/claim',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Take an open task as its assignee',
        params: TaskIdParam,
        response: { 200: TaskState, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const task = await visibleTask(caller, request.params.id);
      const view = await claimTask(ctx.client, { instanceId: task.instanceId, taskId: task.id }, actorOf(caller));
      return { ...view, outcome: view.outcome ?? undefined };
    },
  );

  app.post(
    '/tasks/:id/complete',
    {
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
      const caller = callerOf(request);
      const task = await visibleTask(caller, request.params.id);
      if (task.assignee && task.assignee !== caller.userId && !isAdmin(caller)) {
        throw new ProblemError({
          status: 403,
          type: 'forbidden',
          title: 'Forbidden',
          detail: `Task '${task.id}' is assigned to ${task.assignee}.`,
        });
      }
      return completeTask(
        ctx.client,
        { instanceId: task.instanceId, taskId: task.id },
        {
          outcome: request.body.outcome,
          form: request.body.form as Record<string, Json> | undefined,
          comment: request.body.comment,
        },
        actorOf(caller),
        request.headers['idempotency-key'],
      );
    },
  );

  app.post(
    '/tasks/:id/delegate',
    {
      schema: {
        tags: ['tasks'],
        summary: "Hand a task to another user (its assignee, or the manager of the assignee's team)",
        params: TaskIdParam,
        body: DelegateTaskBody,
        response: { 200: TaskState, 403: Problem, 404: Problem, 409: Problem, 422: Problem },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const task = await visibleTask(caller, request.params.id, 'delegate');
      const target = await ctx.users.get(ctx.orm.em.fork(), request.body.to);
      if (!target)
        throw new ProblemError({
          status: 422,
          type: 'unknown-user',
          title: 'Unprocessable Content',
          detail: `No user '${request.body.to}'.`,
        });
      const view = await delegateTask(
        ctx.client,
        { instanceId: task.instanceId, taskId: task.id },
        actorOf(caller),
        target.id,
      );
      return { ...view, outcome: view.outcome ?? undefined };
    },
  );
};

export default taskRoutes;
