import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { newCrmId } from '../../../db/crm/crm-id';
import { CreatedUser, CreateUserInput, UpdateUserInput, User, UserListFilters } from '../../../db/users/user.schema';
import { hasRight, isRole, ROLE_NAMES } from '../../../contracts/roles';
import type { EngineContext } from '../../engine-deps';
import type { Principal } from '../../principal';
import { principalOf, requireRight } from '../../plugins/auth';
import { Problem, ValidationProblem } from '../../schemas/problem';
import { CrmPage, IdParam, PageQuery } from '../../schemas/crm/crm-records';
import {
  conflict,
  notFound,
  unknownReferences,
  validationProblem,
  validCrmBody,
} from '../../services/crm/crm-problems';

const UserListQuery = Type.Object({ ...UserListFilters, ...PageQuery }, { additionalProperties: false });

/**
 * A user as the principal may see them: everyone sees who people are, their roles, manager and
 * routing fields (the delegate picker, owners); the free-form attribute bag only user managers.
 */
function userFor(principal: Principal, user: User): User {
  if (hasRight(principal.roles, 'users.manage')) return user;
  const { attributes: _attributes, ...withoutAttributes } = user;
  return withoutAttributes;
}

/** Roles are granted only from the product's list (contracts/roles.ts): a typo grants nothing silently. */
function assertKnownRoles(roles: readonly string[] | undefined): void {
  const problems = (roles ?? []).flatMap((role, i) =>
    isRole(role) ? [] : [{ path: `/roles/${i}`, message: `unknown role '${role}' (roles: ${ROLE_NAMES.join(', ')})` }],
  );
  if (problems.length > 0) throw validationProblem(problems);
}

/** Engine users: who works the CRM, with the routing attributes processes assign work by. */
const userRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  const { users } = ctx;

  app.get(
    '/users',
    {
      config: { permission: 'users.read' },
      schema: {
        tags: ['crm'],
        summary: 'List users (filter by role, region)',
        querystring: UserListQuery,
        response: { 200: CrmPage(User), 400: Problem },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const page = await users.list(ctx.orm.em.fork(), request.query);
      return { items: page.items.map((user) => userFor(principal, users.toRecord(user))), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/users/:id',
    {
      config: { permission: 'users.read' },
      schema: { tags: ['crm'], summary: 'One user', params: IdParam, response: { 200: User, 404: Problem } },
    },
    async (request) => {
      const principal = principalOf(request);
      const user = await users.get(ctx.orm.em.fork(), request.params.id);
      if (!user) throw notFound('user', request.params.id);
      return userFor(principal, users.toRecord(user));
    },
  );

  app.post(
    '/users',
    {
      config: { permission: 'users.manage' },
      schema: {
        tags: ['crm'],
        summary: 'Create a user and its API key (admin)',
        description: 'The API key is in this response only.',
        body: CreateUserInput,
        response: { 201: CreatedUser, 400: ValidationProblem, 403: Problem, 409: Problem, 422: Problem },
      },
    },
    async (request, reply) => {
      requireRight(request, 'users.manage');
      const input = validCrmBody(CreateUserInput, request.body);
      assertKnownRoles(input.roles);
      const em = ctx.orm.em.fork();
      if (input.managerId && !(await users.exists(em, input.managerId))) {
        throw unknownReferences([{ pointer: '/managerId', kind: 'user', id: input.managerId }]);
      }
      const prefix = `crm_${randomBytes(6).toString('base64url')}`;
      const apiKey = `${prefix}_${randomBytes(24).toString('base64url')}`;
      const id = input.id ?? newCrmId('U');
      const user = await users.create(em, id, input);
      if (!user) throw conflict('user-exists', `A user '${id}' exists already.`);
      // A key with every scope, as before API keys had scopes; POST /api-keys issues narrower ones.
      await ctx.authKit.apiKeys.create(em, {
        userId: id,
        name: 'created with the user',
        prefix,
        secretHash: ctx.authKit.hashApiKey(apiKey),
        scopes: { templates: '*', events: '*', read: '*' },
        expiresAt: null,
        createdBy: principalOf(request).userId,
      });
      reply.code(201).header('location', `/api/v1/users/${id}`);
      return { user: users.toRecord(user), apiKey };
    },
  );

  app.patch(
    '/users/:id',
    {
      config: { permission: 'users.manage' },
      schema: {
        tags: ['crm'],
        summary: "Change a user's roles, routing attributes or active flag (admin)",
        params: IdParam,
        body: UpdateUserInput,
        response: { 200: User, 400: ValidationProblem, 403: Problem, 404: Problem, 422: Problem },
      },
    },
    async (request) => {
      requireRight(request, 'users.manage');
      const input = validCrmBody(UpdateUserInput, request.body);
      assertKnownRoles(input.roles);
      const em = ctx.orm.em.fork();
      if (input.managerId && !(await users.exists(em, input.managerId))) {
        throw unknownReferences([{ pointer: '/managerId', kind: 'user', id: input.managerId }]);
      }
      const user = await users.update(em, request.params.id, input);
      if (!user) throw notFound('user', request.params.id);
      return users.toRecord(user);
    },
  );
};

export default userRoutes;
