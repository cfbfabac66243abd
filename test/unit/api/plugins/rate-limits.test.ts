import { afterEach, describe, expect, it } from '@jest/globals';
import Fastify, { type FastifyInstance } from 'fastify';
import auth from '../../../../api/plugins/auth';
import problemDetails from '../../../../api/plugins/problem-details';
import rateLimits, { type RateLimits } from '../../../../api/plugins/rate-limits';
import type { Principal } from '../../../../api/principal';

const ALICE: Principal = {
  kind: 'system',
  keyId: 'key-alice',
  scopes: { templates: '*', events: '*', read: '*' },
  userId: 'u-alice',
  name: 'Alice',
  email: 'alice@example.com',
  roles: ['admin'],
  attributes: {},
  managerId: null,
};
const BOB: Principal = { ...ALICE, keyId: 'key-bob', userId: 'u-bob', name: 'Bob' };

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** The /api/v1 arrangement of buildApp: rate limits, then auth, then routes, in one scope. */
async function appWith(limits: RateLimits) {
  const keys: Record<string, Principal> = { alice: ALICE, bob: BOB };
  app = Fastify();
  await app.register(problemDetails);
  await app.register(
    async (v1) => {
      await v1.register(rateLimits, limits);
      await v1.register(auth, { authenticate: async (credential) => keys[credential.secret] ?? null });
      v1.get('/things', { config: { permission: 'authenticated' } }, async () => ({ ok: true }));
      v1.post(
        '/orders/:id/events',
        { config: { permission: 'authenticated', limitEventsPerRecord: true } },
        async (request, reply) => {
          if ((request.body as { refuse?: boolean } | undefined)?.refuse) return reply.code(403).send({});
          return reply.code(202).send({ accepted: true });
        },
      );
    },
    { prefix: '/api/v1' },
  );
  await app.ready();
  return app;
}

const off: RateLimits = { perPrincipalPerMinute: 0, authFailuresPerIpPerMinute: 0, eventsPerRecordPerMinute: 0 };

function get(server: FastifyInstance, key: string, remoteAddress = '10.0.0.1') {
  return server.inject({ method: 'GET', url: '/api/v1/things', headers: { 'x-api-key': key }, remoteAddress });
}

describe('rate limits', () => {
  it('refuses an IP sending bad keys with 429, Retry-After and a problem, even when it then sends a good key', async () => {
    const server = await appWith({ ...off, authFailuresPerIpPerMinute: 5 });
    for (let attempt = 0; attempt < 5; attempt++) expect((await get(server, `guess-${attempt}`)).statusCode).toBe(401);
    const refused = await get(server, 'guess-6');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json()).toMatchObject({ status: 429, type: 'https://crm-engine.dev/problems/too-many-requests' });
    expect((await get(server, 'alice')).statusCode).toBe(429);
    // Another address is not affected.
    expect((await get(server, 'alice', '10.0.0.2')).statusCode).toBe(200);
  });

  it('counts requests per principal, not per address', async () => {
    const server = await appWith({ ...off, perPrincipalPerMinute: 3 });
    for (let call = 0; call < 3; call++) expect((await get(server, 'alice', `10.0.0.${call}`)).statusCode).toBe(200);
    const refused = await get(server, 'alice', '10.0.0.9');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await get(server, 'bob')).statusCode).toBe(200);
  });

  it('lets a record take a limited number of events a minute, counting only accepted ones', async () => {
    const server = await appWith({ ...off, eventsPerRecordPerMinute: 3 });
    const send = (id: string, key = 'alice', body: Record<string, unknown> = {}) =>
      server.inject({
        method: 'POST',
        url: `/api/v1/orders/${id}/events`,
        headers: { 'x-api-key': key },
        payload: body,
      });
    for (let call = 0; call < 5; call++) expect((await send('o-1', 'bob', { refuse: true })).statusCode).toBe(403);
    for (let call = 0; call < 3; call++) expect((await send('o-1', call % 2 ? 'alice' : 'bob')).statusCode).toBe(202);
    const refused = await send('o-1');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect((await send('o-2')).statusCode).toBe(202);
  });

  it('limits nothing when every limit is 0', async () => {
    const server = await appWith(off);
    for (let call = 0; call < 50; call++) expect((await get(server, 'nobody')).statusCode).toBe(401);
  });
});
