import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiKey } from '../../db/auth/api-key.entity';
import type { EngineContext } from '../engine-deps';
import { principalOf } from '../plugins/auth';
import { ProblemError } from '../problem-error';
import { IdParam } from '../schemas/crm/crm-records';
import { ApiKeyList, ApiKeyListQuery, CreateApiKeyBody, CreatedApiKey } from '../schemas/auth';
import { Problem, ValidationProblem } from '../schemas/problem';

const iso = (value: Date | string | null | undefined) => (value ? new Date(value).toISOString() : null);

function keyView(key: ApiKey) {
  return {
    id: key.id,
    userId: key.userId,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes,
    expiresAt: iso(key.expiresAt),
    revokedAt: iso(key.revokedAt),
    lastUsedAt: iso(key.lastUsedAt),
    createdAt: new Date(key.createdAt).toISOString(),
    createdBy: key.createdBy ?? null,
  };
}

/**
 * API keys of other systems (admin): each acts as its user, within its scopes (templates it may
 * start, events it may send, records it may read), until it expires or is revoked. The secret is
 * in the create response only.
 */
const apiKeyRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  const { apiKeys, hashApiKey } = ctx.authKit;

  app.post(
    '/api-keys',
    {
      config: { permission: 'users.manage' },
      schema: {
        tags: ['auth'],
        summary: 'Create an API key for a user (admin); the secret is shown once',
        body: CreateApiKeyBody,
        response: { 201: CreatedApiKey, 400: ValidationProblem, 403: Problem, 422: Problem },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { userId, name, scopes, expiresAt } = request.body;
      const em = ctx.orm.em.fork();
      if (!(await ctx.users.exists(em, userId))) {
        throw new ProblemError({
          status: 422,
          type: 'unknown-user',
          title: 'Unprocessable Content',
          detail: `There is no user '${userId}'.`,
        });
      }
      if (expiresAt !== undefined && new Date(expiresAt).getTime() <= Date.now()) {
        throw new ProblemError({
          status: 422,
          type: 'expiry-in-the-past',
          title: 'Unprocessable Content',
          detail: 'expiresAt must be in the future.',
        });
      }
      const prefix = `crm_${randomBytes(6).toString('base64url')}`;
      const secret = `${prefix}_${randomBytes(24).toString('base64url')}`;
      const key = await apiKeys.create(em, {
        userId,
        name,
        prefix,
        secretHash: hashApiKey(secret),
        scopes,
        expiresAt: expiresAt === undefined ? null : new Date(expiresAt),
        createdBy: principal.userId,
      });
      reply.code(201).header('location', `/api/v1/api-keys/${key.id}`);
      return { ...keyView(key), secret };
    },
  );

  app.get(
    '/api-keys',
    {
      config: { permission: 'users.manage' },
      schema: {
        tags: ['auth'],
        summary: 'List API keys (admin), without their secrets',
        querystring: ApiKeyListQuery,
        response: { 200: ApiKeyList, 403: Problem },
      },
    },
    async (request) => {
      const keys = await apiKeys.list(ctx.orm.em.fork(), request.query.userId);
      return { items: keys.map(keyView) };
    },
  );

  app.delete(
    '/api-keys/:id',
    {
      config: { permission: 'users.manage' },
      schema: {
        tags: ['auth'],
        summary: 'Revoke an API key (admin); it answers 401 from now on',
        params: IdParam,
        response: { 204: { type: 'null' }, 403: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      if (!(await apiKeys.revoke(ctx.orm.em.fork(), request.params.id))) {
        throw new ProblemError({
          status: 404,
          type: 'api-key-not-found',
          title: 'Not Found',
          detail: `There is no API key '${request.params.id}'.`,
        });
      }
      reply.code(204);
    },
  );
};

export default apiKeyRoutes;
