import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CreateUserInput, UpdateUserInput } from '../../../db/crm-schemas';
import { hashApiKey } from '../../../db/repositories';
import { getUser, insertUser, listUsers, toUser, updateUser } from '../../../db/repositories/crm/user-queries';
import type { EngineContext } from '../../engine-deps';
import { callerOf, requireRight } from '../../plugins/auth';
import { Problem, ValidationProblem } from '../../schemas/problem';
import { IdParam } from '../../schemas/crm/common';
import { CreatedUser, User, UserListQuery, UserPage } from '../../schemas/crm/users';
import { newCrmId } from '../../../db/crm/crm-id';
import { conflict, notFound, unknownReferences, validCrmBody } from '../../services/crm/crm-problems';

/** Engine users: who works the CRM, with the routing attributes processes assign work by. */
const userRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.get('/users', {
    schema: { tags: ['crm'], summary: 'List users (filter by role, region)', querystring: UserListQuery, response: { 200: UserPage, 400: Problem } },
  }, async (request) => {
    callerOf(request);
    const page = await listUsers(ctx.orm.em.fork(), request.query);
    return { items: page.items.map(toUser), nextCursor: page.nextCursor };
  });

  app.get('/users/:id', {
    schema: { tags: ['crm'], summary: 'One user', params: IdParam, response: { 200: User, 404: Problem } },
  }, async (request) => {
    callerOf(request);
    const row = await getUser(ctx.orm.em.fork(), request.params.id);
    if (!row) throw notFound('user', request.params.id);
    return toUser(row);
  });

  app.post('/users', {
    schema: {
      tags: ['crm'], summary: 'Create a user and its API key (admin)', description: 'The API key is in this response only.',
      body: CreateUserInput, response: { 201: CreatedUser, 400: ValidationProblem, 403: Problem, 409: Problem, 422: Problem },
    },
  }, async (request, reply) => {
    requireRight(request, 'users.manage');
    const input = validCrmBody(CreateUserInput, request.body);
    const em = ctx.orm.em.fork();
    if (input.managerId && !(await getUser(em, input.managerId))) {
      throw unknownReferences([{ pointer: '/managerId', kind: 'user', id: input.managerId }]);
    }
    const apiKey = `crm_${randomBytes(24).toString('base64url')}`;
    const id = input.id ?? newCrmId('U');
    const row = await insertUser(em, id, input, hashApiKey(apiKey));
    if (!row) throw conflict('user-exists', `A user '${id}' exists already.`);
    reply.code(201).header('location', `/api/v1/users/${id}`);
    return { user: toUser(row), apiKey };
  });

  app.patch('/users/:id', {
    schema: {
      tags: ['crm'], summary: 'Change a user\'s roles, routing attributes or active flag (admin)',
      params: IdParam, body: UpdateUserInput, response: { 200: User, 400: ValidationProblem, 403: Problem, 404: Problem, 422: Problem },
    },
  }, async (request) => {
    requireRight(request, 'users.manage');
    const input = validCrmBody(UpdateUserInput, request.body);
    const em = ctx.orm.em.fork();
    if (input.managerId && !(await getUser(em, input.managerId))) {
      throw unknownReferences([{ pointer: '/managerId', kind: 'user', id: input.managerId }]);
    }
    const row = await updateUser(em, request.params.id, input);
    if (!row) throw notFound('user', request.params.id);
    return toUser(row);
  });
};

export default userRoutes;
