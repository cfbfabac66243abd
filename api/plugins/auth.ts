import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { scopeAllows } from '../../contracts/api-key-scopes';
import { hasRight, holdersOf, isRight, type Permission, type Right } from '../../contracts/roles';
import type { Principal } from '../principal';
import { ProblemError } from '../problem-error';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /**
     * What the route needs (contracts/roles.ts): a right, `authenticated` (any signed-in
     * principal; the handler scopes the answer) or `public`. Every route under /api/v1 must say;
     * registering one without it fails at start.
     */
    permission?: Permission;
  }
}

/** The cookie a browser may carry its access token in (the web app keeps it in memory and sends a bearer). */
export const ACCESS_COOKIE = 'crm_access';

/** A credential as the request carried it; the authenticator decides what it is worth. */
export type Credential =
  | { kind: 'api-key'; secret: string }
  /** `Authorization: Bearer …`: an access token, or an API key sent as a bearer by a script. */
  | { kind: 'bearer'; secret: string }
  /** The web app's access-token cookie. */
  | { kind: 'cookie'; secret: string };

export type Authenticate = (credential: Credential, request: FastifyRequest) => Promise<Principal | null>;

export interface AuthOptions {
  authenticate: Authenticate;
  /** Name of the cookie carrying the web app's access token. */
  accessCookie?: string;
}

function credentialOf(request: FastifyRequest, accessCookie: string | undefined): Credential | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header.length > 0) return { kind: 'api-key', secret: header };
  const bearer = request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) return { kind: 'bearer', secret: bearer };
  const cookie = accessCookie
    ? (request as { cookies?: Record<string, string | undefined> }).cookies?.[accessCookie]
    : undefined;
  if (cookie) return { kind: 'cookie', secret: cookie };
  return undefined;
}

export function unauthorized(detail: string): ProblemError {
  return Object.assign(new ProblemError({ status: 401, type: 'unauthorized', title: 'Unauthorized', detail }), {
    headers: { 'www-authenticate': 'Bearer' },
  });
}

/** The one 403 of the API: the principal is known but may not do this. */
export function forbidden(detail: string): ProblemError {
  return new ProblemError({ status: 403, type: 'forbidden', title: 'Forbidden', detail });
}

/** The reason a principal lacks `right`, or null when they hold it (an API key also within its scope). */
export function refusalOf(principal: Principal, right: Right): string | null {
  if (!hasRight(principal.roles, right)) {
    return `This needs one of the roles ${holdersOf(right).join(', ')}; you have ${principal.roles.join(', ') || 'none'}.`;
  }
  // A key's `read` scope names the record kinds it may read: `customers` for customers.read.
  const [records, action] = right.split('.') as [string, string];
  if (principal.kind === 'system' && action === 'read' && !scopeAllows(principal.scopes.read, records)) {
    return `This API key's scope does not include reading ${records}.`;
  }
  return null;
}

/**
 * Identifies and authorises every request of the scope it is registered in (the /api/v1 routes)
 * in an `onRequest` hook: before the body is read or validated, and on the route Fastify matched
 * rather than on the URL text (so `/%61pi/...` or an absolute-form target cannot slip past). An
 * unauthenticated request is a 401, a principal without the route's right a 403, before anything
 * else runs.
 */
async function auth(app: FastifyInstance, options: AuthOptions) {
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route) => {
    const permission = route.config?.permission;
    if (permission === undefined) {
      throw new Error(`Route ${route.method.toString()} ${route.url} declares no permission (config.permission).`);
    }
    if (permission !== 'public' && permission !== 'authenticated' && !isRight(permission)) {
      throw new Error(`Route ${route.method.toString()} ${route.url} declares an unknown permission '${permission}'.`);
    }
  });

  app.addHook('onRequest', async (request) => {
    const permission = request.routeOptions.config.permission;
    if (permission === 'public') return;
    const credential = credentialOf(request, options.accessCookie);
    if (!credential)
      throw unauthorized('Sign in, or send an API key in the X-API-Key header (or Authorization: Bearer).');
    const principal = await options.authenticate(credential, request);
    if (!principal) throw unauthorized('The credential is not valid (unknown, expired or revoked).');
    request.principal = principal;
    if (permission === undefined || permission === 'authenticated') return;
    const refusal = refusalOf(principal, permission);
    if (refusal) throw forbidden(refusal);
  });
}

export default fp(auth, { name: 'auth', fastify: '5.x' });

/** The authenticated principal; routes behind the auth hook always have one. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthorized('Not authenticated.');
  return request.principal;
}

/**
 * The principal, if they hold `right` besides the one the route declared (a handler that needs
 * more for some inputs, e.g. choosing another owner); else a 403 naming the roles that do.
 */
export function requireRight(request: FastifyRequest, right: Right): Principal {
  const principal = principalOf(request);
  const refusal = refusalOf(principal, right);
  if (refusal) throw forbidden(refusal);
  return principal;
}
