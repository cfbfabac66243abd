import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Json } from '../../dsl/plan';
import type { EngineContext } from '../engine-deps';
import { principalOf } from '../plugins/auth';
import { describeProblem } from '../problem-from-error';
import { ProblemError, problemTypeUri } from '../problem-error';
import { Problem, ValidationProblem } from '../schemas/problem';
import {
  BulkTaskBody,
  BulkTaskResults,
  Delegates,
  DelegatesQuery,
  TaskCounts,
  TaskHistory,
  TaskIdParam,
} from '../schemas/tasks';
import { loadDelegationRule } from '../services/task-delegation';
import { TaskWork } from '../services/task-work';

const MAX_DELEGATES = 20;

/** What the inbox and the task page need beyond the task itself: counts, bulk actions, history, delegates. */
const taskInboxRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  const work = new TaskWork(ctx);

  app.get(
    '/tasks/counts',
    {
      config: { permission: 'tasks.work' },
      schema: {
        tags: ['tasks'],
        summary: 'How many tasks each inbox view holds, and when the latest of them changed',
        description: 'Cheap enough to poll (every ~10 s): refetch the lists when a count or `changedAt` moves.',
        response: { 200: TaskCounts },
      },
    },
    async (request) => ctx.tasks.counts(ctx.orm.em.fork(), await work.inboxUserOf(principalOf(request))),
  );

  app.post(
    '/tasks/bulk',
    {
      config: { permission: 'tasks.work' },
      schema: {
        tags: ['tasks'],
        summary: 'Claim or complete up to 50 tasks',
        description:
          'Each task as its own route would answer (`ok`, or its `status` and `problem`), in the order given. `complete` needs an `outcome` and refuses (422 `form-required`) a task whose form has required fields.',
        body: BulkTaskBody,
        response: { 200: BulkTaskResults, 400: ValidationProblem },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { action, ids, outcome, comment } = request.body;
      if (action === 'complete' && outcome === undefined) {
        throw new ProblemError({
          status: 400,
          type: 'validation',
          title: 'Invalid request',
          detail: 'Completing tasks needs an outcome.',
          extensions: { errors: [{ path: '/body/outcome', message: 'is required to complete' }] },
        });
      }
      const results = [];
      // One after another: each is a workflow Update whose audit entry follows it, in the order asked.
      for (const id of ids) {
        try {
          if (action === 'claim') await work.claim(principal, id);
          else await work.complete(principal, id, { outcome: outcome ?? '', comment, withoutForm: true });
          results.push({ id, ok: true });
        } catch (error) {
          const problem = describeProblem(error, reply);
          if (problem.unexpected) request.log.error({ err: error, taskId: id }, 'bulk task action failed');
          results.push({
            id,
            ok: false,
            status: problem.status,
            problem: { type: problemTypeUri(problem.type), title: problem.title, detail: problem.detail },
          });
        }
      }
      return { results };
    },
  );

  app.get(
    '/tasks/:id/history',
    {
      config: { permission: 'tasks.work' },
      schema: {
        tags: ['tasks'],
        summary: "What happened to a task, oldest first, with each actor's name",
        description:
          'Its task events: `opened`, `claimed`, `delegated`, `released`, `reminded`, `escalated`, `completed` (detail: outcome and comment), …',
        params: TaskIdParam,
        response: { 200: TaskHistory, 404: Problem },
      },
    },
    async (request) => {
      const task = await work.visibleTask(principalOf(request), request.params.id);
      const em = ctx.orm.em.fork();
      const events = await ctx.tasks.events(em, task.id);
      const actorIds = [...new Set(events.flatMap((event) => (event.actor ? [event.actor] : [])))];
      const names = new Map((await ctx.users.findByIds(em, actorIds)).map((user) => [user.id, user.name]));
      return {
        items: events.map((event) => ({
          at: event.at.toISOString(),
          type: event.type,
          actor: event.actor ?? null,
          actorName: event.actor ? (names.get(event.actor) ?? null) : null,
          detail: (event.detail ?? null) as Record<string, Json> | null,
        })),
      };
    },
  );

  app.get(
    '/tasks/:id/delegates',
    {
      config: { permission: 'tasks.work' },
      schema: {
        tags: ['tasks'],
        summary: 'The people I may hand this task to, by name or e-mail',
        description: `The same rule as POST /tasks/{id}/delegate; at most ${MAX_DELEGATES}, by name, the assignee left out.`,
        params: TaskIdParam,
        querystring: DelegatesQuery,
        response: { 200: Delegates, 404: Problem },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const task = await work.visibleTask(principal, request.params.id, 'delegate');
      const rule = await loadDelegationRule(ctx.orm.em.fork(), ctx.users, principal, task);
      const text = (request.query.q ?? '').trim().toLowerCase();
      const items = (await rule.allowedTargets())
        .filter((user) => user.id !== task.assignee)
        .filter((user) => text === '' || `${user.name}\n${user.email}`.toLowerCase().includes(text))
        .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
        .slice(0, MAX_DELEGATES);
      return { items: items.map((user) => ({ id: user.id, name: user.name, email: user.email })) };
    },
  );
};

export default taskInboxRoutes;
