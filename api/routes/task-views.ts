import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { MAX_SAVED_VIEWS_PER_USER, SavedViewRepository } from '../../db/repositories';
import type { EngineContext } from '../engine-deps';
import { forbidden, principalOf } from '../plugins/auth';
import { ProblemError } from '../problem-error';
import { Problem, ValidationProblem } from '../schemas/problem';
import { InboxQueryFields } from '../schemas/tasks';
import { NewSavedViewBody, SavedViewIdParam, SavedViewJson, SavedViewList } from '../schemas/task-views';

const InboxQuery = Type.Object(InboxQueryFields, { additionalProperties: false });

const badQuery = (message: string) =>
  new ProblemError({
    status: 400,
    type: 'validation',
    title: 'Invalid request',
    detail: `The view's query is not an inbox query: ${message}.`,
    extensions: { errors: [{ path: '/body/query', message }] },
  });

/** Refuses anything but the inbox's own parameters, each once and with a value GET /tasks accepts. */
function assertInboxQuery(query: string): void {
  const params = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
  const fields: Record<string, string> = {};
  for (const [key, value] of params) {
    if (!Object.hasOwn(InboxQueryFields, key)) throw badQuery(`'${key}' is not an inbox parameter`);
    if (Object.hasOwn(fields, key)) throw badQuery(`'${key}' is given twice`);
    fields[key] = value;
  }
  const [error] = Value.Errors(InboxQuery, fields);
  if (error) throw badQuery(`'${error.instancePath.slice(1)}' ${error.message}`);
}

const notFound = (id: string) =>
  new ProblemError({ status: 404, type: 'task-view-not-found', title: 'Not Found', detail: `No saved view '${id}'.` });

/** Named inbox views saved on the server, one's own or shared, opened by link. */
const taskViewRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  const views = new SavedViewRepository();

  app.get(
    '/task-views',
    {
      config: { permission: 'tasks.work' },
      schema: {
        tags: ['tasks'],
        summary: 'My saved inbox views and the ones others shared, by name',
        response: { 200: SavedViewList },
      },
    },
    async (request) => ({ items: await views.listVisibleTo(ctx.orm.em.fork(), principalOf(request).userId) }),
  );

  app.post(
    '/task-views',
    {
      config: { permission: 'tasks.work' },
      schema: {
        tags: ['tasks'],
        summary: 'Save the inbox filters and sort under a name',
        description: `At most ${MAX_SAVED_VIEWS_PER_USER} per person (422 \`task-views-limit\`).`,
        body: NewSavedViewBody,
        response: { 201: SavedViewJson, 400: ValidationProblem, 422: Problem },
      },
    },
    async (request, reply) => {
      const { name, query, shared } = request.body;
      assertInboxQuery(query);
      const saved = await views.create(ctx.orm.em.fork(), {
        ownerId: principalOf(request).userId,
        name,
        query: query.startsWith('?') ? query.slice(1) : query,
        shared: shared ?? false,
      });
      if (!saved) {
        throw new ProblemError({
          status: 422,
          type: 'task-views-limit',
          title: 'Unprocessable Content',
          detail: `You have ${MAX_SAVED_VIEWS_PER_USER} saved views already; delete one first.`,
        });
      }
      reply.code(201);
      return saved;
    },
  );

  app.get(
    '/task-views/:id',
    {
      config: { permission: 'tasks.work' },
      schema: {
        tags: ['tasks'],
        summary: 'A saved view: my own or a shared one',
        params: SavedViewIdParam,
        response: { 200: SavedViewJson, 404: Problem },
      },
    },
    async (request) => {
      const view = await views.findVisible(ctx.orm.em.fork(), request.params.id, principalOf(request).userId);
      if (!view) throw notFound(request.params.id);
      return view;
    },
  );

  app.delete(
    '/task-views/:id',
    {
      config: { permission: 'tasks.work' },
      schema: {
        tags: ['tasks'],
        summary: 'Delete a view I saved',
        params: SavedViewIdParam,
        response: { 204: { type: 'null' }, 403: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      const userId = principalOf(request).userId;
      const em = ctx.orm.em.fork();
      if (!(await views.deleteOwn(em, request.params.id, userId))) {
        if (await views.findVisible(em, request.params.id, userId)) {
          throw forbidden('Only the person who saved a view may delete it.');
        }
        throw notFound(request.params.id);
      }
      reply.code(204);
    },
  );
};

export default taskViewRoutes;
