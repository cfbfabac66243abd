import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ProblemError } from '../problem-error';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route sends an event into the processes of the record its `:id` names: the record takes
     * at most RateLimits.eventsPerRecordPerMinute of them, so no caller can push an instance past
     * Temporal's history limit.
     */
    limitEventsPerRecord?: boolean;
    /**
     * The route's `:token` is its credential (a mail link): an unknown token (404) counts as a
     * failed authentication of the caller's IP, so tokens cannot be guessed faster than keys.
     */
    linkToken?: boolean;
  }
}

/** Requests per minute; 0 turns that limit off. */
export interface RateLimits {
  /** Per principal (user or API key) once authenticated; per IP on public routes. */
  perPrincipalPerMinute: number;
  /** Failed authentications (401) per IP, after which the IP is refused until the minute is over. */
  authFailuresPerIpPerMinute: number;
  /** Accepted events per business record (instance, order) on the event routes. */
  eventsPerRecordPerMinute: number;
}

const MINUTE_MS = 60_000;

function principalKey(request: FastifyRequest): string {
  const principal = request.principal;
  if (!principal) return `ip:${request.ip}`;
  return principal.kind === 'system' ? `key:${principal.keyId}` : `user:${principal.userId}`;
}

function tooManyRequests(detail: string, retryAfterSeconds: number): ProblemError {
  return Object.assign(
    new ProblemError({ status: 429, type: 'too-many-requests', title: 'Too Many Requests', detail }),
    {
      headers: { 'retry-after': String(Math.max(1, retryAfterSeconds)) },
    },
  );
}

function isSuccess(statusCode: number): boolean {
  return statusCode >= 200 && statusCode < 300;
}

/**
 * The rate limits of the /api/v1 scope, registered in it before auth. Three counters:
 * - per principal: @fastify/rate-limit's route-level onRequest hook, which Fastify runs after the
 *   scope's own onRequest hooks, so auth has already said who is calling;
 * - failed authentications per IP (and unknown link tokens): a 401 never reaches that hook, so they are counted when the
 *   401 is sent and checked before auth runs (a flood of guessed keys costs no key look-up once
 *   the IP is over, and a right guess answers 429 like a wrong one);
 * - accepted events per record, checked before the handler and counted only when the event was
 *   taken, so a caller that may not send them cannot use up a record's allowance.
 */
async function rateLimits(app: FastifyInstance, limits: RateLimits) {
  await app.register(rateLimit, {
    global: limits.perPrincipalPerMinute > 0,
    max: limits.perPrincipalPerMinute,
    timeWindow: MINUTE_MS,
    keyGenerator: principalKey,
    errorResponseBuilder: (_request, context) =>
      tooManyRequests(`More than ${context.max} requests a minute; retry in ${context.after}.`, context.ttl / 1000),
  });

  if (limits.authFailuresPerIpPerMinute > 0) {
    const authFailures = app.createRateLimit({
      max: limits.authFailuresPerIpPerMinute,
      timeWindow: MINUTE_MS,
      keyGenerator: (request) => `auth-failures:${request.ip}`,
    });
    app.addHook('onRequest', async (request) => {
      const state = await authFailures(request, { increment: false });
      if (!state.isAllowed && state.remaining === 0) {
        throw tooManyRequests(
          `Too many failed sign-ins or unknown keys from this address; retry in ${state.ttlInSeconds} s.`,
          state.ttlInSeconds,
        );
      }
    });
    app.addHook('onSend', async (request, reply) => {
      const badLink = reply.statusCode === 404 && request.routeOptions.config.linkToken === true;
      if (reply.statusCode === 401 || badLink) await authFailures(request);
    });
  }

  if (limits.eventsPerRecordPerMinute > 0) {
    const events = app.createRateLimit({
      max: limits.eventsPerRecordPerMinute,
      timeWindow: MINUTE_MS,
      keyGenerator: (request) =>
        `events:${request.routeOptions.url ?? ''}:${(request.params as { id?: string }).id ?? ''}`,
    });
    app.addHook('preHandler', async (request) => {
      if (!request.routeOptions.config.limitEventsPerRecord) return;
      const state = await events(request, { increment: false });
      if (!state.isAllowed && state.remaining === 0) {
        throw tooManyRequests(
          `This record took ${state.max} events in the last minute; retry in ${state.ttlInSeconds} s.`,
          state.ttlInSeconds,
        );
      }
    });
    app.addHook('onSend', async (request, reply) => {
      if (request.routeOptions.config.limitEventsPerRecord && isSuccess(reply.statusCode)) await events(request);
    });
  }
}

export default fp(rateLimits, { name: 'rate-limits', fastify: '5.x' });
