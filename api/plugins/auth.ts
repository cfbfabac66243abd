import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hasRight, holdersOf, type Right } from '../../contracts/roles';
import type { Authenticate, Caller } from '../caller';
import { ProblemError } from '../problem-error';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
  }
  interface FastifyContextConfig {
    /** `false` for public routes (health, docs, the template schema). */
    auth?: boolean;
  }
}

function apiKeyOf(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header.length > 0) return header;
  const authorization = request.headers.authorization;
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i);
  return bearer?.[1];
}

/**
 * Identifies every /api/v1 caller by API key (`X-API-Key` or `Authorization: Bearer`). Routes
 * decide what a caller may do with {@link requireRight} and ownership checks of their own.
 */
async function auth(app: FastifyInstance, options: { authenticate: Authenticate }) {
  app.decorateRequest('caller', null);
  app.addHook('preHandler', async (request) => {
    if (request.routeOptions.config.auth === false || !request.url.startsWith('/api/')) return;
    const key = apiKeyOf(request);
    const caller = key ? await options.authenticate(key) : null;
    if (!caller) {
      throw Object.assign(
        new ProblemError({
          status: 401,
          type: 'unauthorized',
          title: 'Unauthorized',
          detail: key
            ? 'The API key is not valid.'
            : 'Send an API key in the X-API-Key header (or Authorization: Bearer).',
        }),
        { headers: { 'www-authenticate': 'Bearer' } },
      );
    }
    request.caller = caller;
  });
}

export default fp(auth, { name: 'auth', fastify: '5.x' });

/** The authenticated caller; routes behind the auth hook always have one. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller)
    throw new ProblemError({ status: 401, type: 'unauthorized', title: 'Unauthorized', detail: 'Not authenticated.' });
  return request.caller;
}

/** The caller, if a role of theirs holds `right` (contracts/roles.ts); else a 403 naming the roles that do. */
export function requireRight(request: FastifyRequest, right: Right): Caller {
  const caller = callerOf(request);
  if (!hasRight(caller.roles, right)) {
    throw new ProblemError({
      status: 403,
      type: 'forbidden',
      title: 'Forbidden',
      detail: `This needs one of the roles ${holdersOf(right).join(', ')}; you have ${caller.roles.join(', ') || 'none'}.`,
    });
  }
  return caller;
}
