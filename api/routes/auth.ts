import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import type { AuthSession } from '../../db/auth/session.entity';
import type { EngineUser } from '../../db/users/user.entity';
import type { EngineContext } from '../engine-deps';
import { ACCESS_COOKIE, forbidden, principalOf, unauthorized } from '../plugins/auth';
import type { Principal } from '../principal';
import { ProblemError } from '../problem-error';
import { IdParam } from '../schemas/crm/crm-records';
import {
  ChangePasswordBody,
  Me,
  RefreshBody,
  RevokedCount,
  SessionList,
  SetPasswordBody,
  SignInBody,
  TokenResponse,
} from '../schemas/auth';
import { Problem, ValidationProblem } from '../schemas/problem';
import { authenticate, clientOf } from '../services/authenticator';
import type { TokenPair } from '../services/sign-in';

/** The httpOnly cookie holding a browser's refresh token; sent only to the auth routes. */
export const REFRESH_COOKIE = 'crm_refresh';
const REFRESH_COOKIE_PATH = '/api/v1/auth';
const ACCESS_COOKIE_PATH = '/api/v1';

const invalidCredentials = () =>
  Object.assign(
    new ProblemError({
      status: 401,
      type: 'invalid-credentials',
      title: 'Unauthorized',
      detail: 'The e-mail or the password is wrong, or the account cannot sign in.',
    }),
    { headers: { 'www-authenticate': 'Bearer' } },
  );

const notFound = (id: string) =>
  new ProblemError({ status: 404, type: 'user-not-found', title: 'Not Found', detail: `There is no user '${id}'.` });

function userView(user: EngineUser) {
  const locale = (user.attributes as Record<string, unknown>)['locale'];
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    roles: user.roles,
    locale: typeof locale === 'string' ? locale : null,
  };
}

function sessionView(session: AuthSession, current: string | null) {
  return {
    id: session.id,
    userId: session.userId,
    createdAt: new Date(session.createdAt).toISOString(),
    expiresAt: new Date(session.expiresAt).toISOString(),
    lastUsedAt: session.lastUsedAt ? new Date(session.lastUsedAt).toISOString() : null,
    ip: session.ip ?? null,
    userAgent: session.userAgent ?? null,
    current: session.id === current,
  };
}

const sessionOf = (principal: Principal) => (principal.kind === 'user' ? principal.sessionId : null);

/**
 * People signing in: password → access token (bearer, short-lived) + refresh token (rotating; an
 * httpOnly SameSite=Strict cookie for the browser, the body for scripts); sign out; own sessions
 * and password; an administrator's view of a user's sessions and password.
 */
const authRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  const { signIn, authKit } = ctx;
  const cookieOptions = {
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: authKit.settings.secureCookies,
    path: REFRESH_COOKIE_PATH,
  };

  // The web app's credential: the access token in an httpOnly cookie (scripts on the page never
  // hold it), sent to the API only; it lives as long as the token, and the app refreshes on a 401.
  const accessCookieOptions = { ...cookieOptions, path: ACCESS_COOKIE_PATH };
  const issue = (reply: FastifyReply, tokens: TokenPair, user: EngineUser) => {
    reply.setCookie(REFRESH_COOKIE, tokens.refreshToken, {
      ...cookieOptions,
      maxAge: authKit.settings.session.maxSeconds,
    });
    reply.setCookie(ACCESS_COOKIE, tokens.accessToken, { ...accessCookieOptions, maxAge: tokens.expiresIn });
    return {
      accessToken: tokens.accessToken,
      tokenType: 'Bearer' as const,
      expiresIn: tokens.expiresIn,
      refreshToken: tokens.refreshToken,
      user: userView(user),
    };
  };
  const refreshTokenOf = (request: FastifyRequest, body: { refreshToken?: string }) =>
    body.refreshToken ?? request.cookies[REFRESH_COOKIE];
  // Browsers post /refresh and /sign-out without a body (the token is in the cookie).
  const emptyBodyIsEmptyObject = async (request: FastifyRequest) => {
    request.body ??= {};
  };

  app.post(
    '/auth/sign-in',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail and password',
        description:
          'Answers the same 401 for an unknown e-mail, a wrong password and an account that cannot sign in. ' +
          'After 5 failures for one e-mail in 15 minutes, or 20 from one IP in a minute: 429 with Retry-After.',
        body: SignInBody,
        response: { 200: TokenResponse, 400: ValidationProblem, 401: Problem, 429: Problem },
      },
    },
    async (request, reply) => {
      const result = await signIn.signIn(request.body.email, request.body.password, clientOf(request));
      if (result.kind === 'limited') {
        throw Object.assign(
          new ProblemError({
            status: 429,
            type: 'too-many-sign-in-attempts',
            title: 'Too Many Requests',
            detail: `Too many failed sign-ins; try again in ${result.retryAfterSeconds} s.`,
          }),
          { headers: { 'retry-after': String(result.retryAfterSeconds) } },
        );
      }
      if (result.kind === 'invalid') throw invalidCredentials();
      return issue(reply, result.tokens, result.user);
    },
  );

  app.post(
    '/auth/refresh',
    {
      config: { permission: 'public' },
      preValidation: emptyBodyIsEmptyObject,
      schema: {
        tags: ['auth'],
        summary: 'Swap a refresh token (cookie or body) for a new access and refresh token',
        description:
          'Each refresh token is good once. Presenting one that was already swapped ends its session (someone has a copy).',
        body: RefreshBody,
        response: { 200: TokenResponse, 400: ValidationProblem, 401: Problem },
      },
    },
    async (request, reply) => {
      const token = refreshTokenOf(request, request.body);
      const result = token ? await signIn.refresh(token) : ({ kind: 'invalid' } as const);
      if (result.kind === 'refreshed') return issue(reply, result.tokens, result.user);
      if (result.kind === 'reused') {
        request.log.warn({ sessionId: result.sessionId }, 'a used refresh token came back: session revoked');
      }
      reply.clearCookie(REFRESH_COOKIE, cookieOptions);
      reply.clearCookie(ACCESS_COOKIE, accessCookieOptions);
      throw unauthorized('The refresh token is not valid (unknown, used, expired or revoked); sign in again.');
    },
  );

  app.post(
    '/auth/sign-out',
    {
      config: { permission: 'public' },
      preValidation: emptyBodyIsEmptyObject,
      schema: {
        tags: ['auth'],
        summary: 'End the session of the refresh token (cookie or body) or of the bearer access token',
        body: RefreshBody,
        response: { 204: { type: 'null' }, 400: ValidationProblem },
      },
    },
    async (request, reply) => {
      const token = refreshTokenOf(request, request.body);
      if (token) await signIn.signOutWith(token);
      const bearer = request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
      if (bearer) {
        const principal = await authenticate(authKit, ctx.orm, { kind: 'bearer', secret: bearer });
        const sessionId = principal ? sessionOf(principal) : null;
        if (sessionId) await signIn.signOut(sessionId);
      }
      reply.clearCookie(REFRESH_COOKIE, cookieOptions);
      reply.clearCookie(ACCESS_COOKIE, accessCookieOptions);
      reply.code(204);
    },
  );

  app.get(
    '/auth/me',
    {
      config: { permission: 'authenticated' },
      schema: { tags: ['auth'], summary: 'Who is calling', response: { 200: Me, 401: Problem } },
    },
    async (request) => {
      const principal = principalOf(request);
      const user = {
        id: principal.userId,
        name: principal.name,
        email: principal.email,
        roles: principal.roles,
        locale: typeof principal.attributes['locale'] === 'string' ? principal.attributes['locale'] : null,
      };
      return principal.kind === 'user'
        ? { kind: principal.kind, user, sessionId: principal.sessionId }
        : { kind: principal.kind, user, keyId: principal.keyId, scopes: principal.scopes };
    },
  );

  app.get(
    '/auth/sessions',
    {
      config: { permission: 'authenticated' },
      schema: { tags: ['auth'], summary: 'My live sessions', response: { 200: SessionList, 401: Problem } },
    },
    async (request) => {
      const principal = principalOf(request);
      const sessions = await authKit.sessions.listLive(ctx.orm.em.fork(), principal.userId);
      return { items: sessions.map((session) => sessionView(session, sessionOf(principal))) };
    },
  );

  app.post(
    '/auth/password',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Change my password (current and new); my other sessions end',
        body: ChangePasswordBody,
        response: { 204: { type: 'null' }, 400: ValidationProblem, 401: Problem, 403: Problem },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.kind !== 'user') {
        throw forbidden('An API key cannot change a password; sign in as the person.');
      }
      const { currentPassword, newPassword } = request.body;
      if (!(await signIn.changePassword(principal.userId, currentPassword, newPassword, principal.sessionId))) {
        throw invalidCredentials();
      }
      reply.code(204);
    },
  );

  app.get(
    '/users/:id/sessions',
    {
      config: { permission: 'users.manage' },
      schema: {
        tags: ['auth'],
        summary: "A user's live sessions (admin)",
        params: IdParam,
        response: { 200: SessionList, 403: Problem, 404: Problem },
      },
    },
    async (request) => {
      const em = ctx.orm.em.fork();
      if (!(await ctx.users.exists(em, request.params.id))) throw notFound(request.params.id);
      const sessions = await authKit.sessions.listLive(em, request.params.id);
      return { items: sessions.map((session) => sessionView(session, sessionOf(principalOf(request)))) };
    },
  );

  app.delete(
    '/users/:id/sessions',
    {
      config: { permission: 'users.manage' },
      schema: {
        tags: ['auth'],
        summary: 'End every session of a user (admin); their access tokens stop working at once',
        params: IdParam,
        response: { 200: RevokedCount, 403: Problem, 404: Problem },
      },
    },
    async (request) => {
      const em = ctx.orm.em.fork();
      if (!(await ctx.users.exists(em, request.params.id))) throw notFound(request.params.id);
      return { revoked: await authKit.sessions.revokeAllOf(em, request.params.id) };
    },
  );

  app.put(
    '/users/:id/password',
    {
      config: { permission: 'users.manage' },
      schema: {
        tags: ['auth'],
        summary: "Set a user's password (admin); their sessions end",
        params: IdParam,
        body: SetPasswordBody,
        response: { 204: { type: 'null' }, 400: ValidationProblem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      try {
        if (!(await signIn.setPassword(request.params.id, request.body.password))) throw notFound(request.params.id);
      } catch (error) {
        if (!(error instanceof UniqueConstraintViolationException)) throw error;
        throw new ProblemError({
          status: 409,
          type: 'sign-in-email-taken',
          title: 'Conflict',
          detail: 'Another user who can sign in has the same e-mail; change one of the e-mails first.',
        });
      }
      reply.code(204);
    },
  );
};

export default authRoutes;
