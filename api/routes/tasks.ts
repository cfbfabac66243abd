import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { hasRight } from '../../contracts/roles';
import type { Json } from '../../dsl/plan';
import type { TaskRow } from '../../db/entities';
import type { TaskListContext } from '../../db/repositories/task-repository';
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
import { TaskWork } from '../services/task-work';
import { requestLocale } from '../request-locale';
import { taskJson } from '../task-json';

/** The task inbox and the actions on a task; the workflow decides (by Update) whether an action stands. */
const taskRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  const work = new TaskWork(ctx);

  /**
   * Tasks as the API returns them: their instances' names and keys, and the names of the people
   * holding or having completed them. A page brings these in its own statement (`context`); a
   * single task reads them, each in one query.
   */
  async function tasksJson(request: FastifyRequest, rows: TaskRow[], context?: TaskListContext) {
    const em = ctx.orm.em.fork();
    const people = new Set(rows.flatMap((row) => [row.assignee, row.completedBy].filter((id) => !!id) as string[]));
    // Two independent reads: side by side, the request waits for the slower one only.
    const [summaries, names] = await Promise.all([
      context
        ? ctx.instances.summariesFrom(em, [...context.instances.values()], ctx.templates)
        : ctx.instances.summariesOf(
            em,
            rows.map((row) => row.instanceId),
            ctx.templates,
          ),
      context
        ? context.names
        : ctx.users
            .findByIds(em.fork(), [...people])
            .then((users) => new Map(users.map((user) => [user.id, user.name]))),
    ]);
    const locale = requestLocale(request);
    return rows.map((row) => taskJson(row, summaries.get(row.instanceId), locale, names));
  }

  app.get(
    '/tasks',
    {
      config: { permission: 'tasks.work' },
      schema: {
        tags: ['tasks'],
        summary: 'My inbox: tasks assigned to me and open tasks I am a candidate for',
        description:
          "One `view` of it (mine, queue, unassigned, done) or all of it, filtered by template, priority, `q` (text in the title) and the older filters, sorted by due date, priority, template or creation (`sort`, `order`); keyset pages are exact in every sort. Administrators may pass `assignee=<user id>` (without a view) to see anyone's tasks.",
        querystring: TaskListQuery,
        response: { 200: TaskPage, 400: Problem },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const q = request.query;
      const filters = {
        view: q.view,
        sort: q.sort,
        order: q.order,
        priority: q.priority,
        text: q.q,
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
        hasRight(principal.roles, 'tasks.see-all') && q.assignee && q.assignee !== 'me' && !q.view
          ? await ctx.tasks.list(em, filters)
          : await ctx.tasks.inbox(em, await work.inboxUserOf(principal, q.view === 'unassigned'), filters);
      return { items: await tasksJson(request, page.items, page.context), nextCursor: page.nextCursor };
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
    async (request) => {
      const [task] = await tasksJson(request, [await work.visibleTask(principalOf(request), request.params.id)]);
      return task;
    },
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
      const view = await work.claim(principalOf(request), request.params.id);
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
          'Returns once the workflow has accepted and recorded the completion; the inbox shows it completed from then on. A second completion gets 409 and changes nothing. Form data the form of the task refuses (a required field left out, a wrong type) is 422 `invalid-form`, naming each field in `errors` (`/body/form/<field>`); the task stays open.',
        params: TaskIdParam,
        headers: IdempotencyHeaders,
        body: CompleteTaskBody,
        response: { 200: TaskCompleted, 403: Problem, 404: Problem, 409: Problem, 422: Problem },
      },
    },
    async (request) =>
      work.complete(
        principalOf(request),
        request.params.id,
        {
          outcome: request.body.outcome,
          form: request.body.form as Record<string, Json> | undefined,
          comment: request.body.comment,
        },
        request.headers['idempotency-key'],
      ),
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
      const view = await work.delegate(principalOf(request), request.params.id, request.body.to);
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
      const view = await work.release(principalOf(request), request.params.id);
      return { ...view, outcome: view.outcome ?? undefined };
    },
  );
};

export default taskRoutes;
