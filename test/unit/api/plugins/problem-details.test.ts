import { afterEach, describe, expect, it } from '@jest/globals';
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../../api/app';
import { ProblemError } from '../../../../api/problem-error';
import { Problem } from '../../../../api/schemas/problem';
import { captureLog } from '../log-capture';

const readiness = { database: async () => {}, temporal: async () => {} };
const PROBLEM_CONTENT_TYPE = /^application\/problem\+json/;

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('problem details', () => {
  it('answers an unknown route with a 404 problem whose instance is the path without the query', async () => {
    app = await buildApp({ readiness });
    const res = await app.inject({ method: 'GET', url: '/no/such/route?token=s3cr3t' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(PROBLEM_CONTENT_TYPE);
    expect(res.json()).toEqual({
      type: 'https://crm-engine.dev/problems/not-found',
      title: 'Not Found',
      status: 404,
      detail: 'Route GET /no/such/route not found.',
      instance: '/no/such/route',
    });
    expect(res.body).not.toContain('s3cr3t');
  });

  it('lists every body validation failure in errors', async () => {
    app = await buildApp({ readiness });
    app.post(
      '/leads',
      {
        schema: {
          body: Type.Object({
            name: Type.String({ minLength: 1 }),
            email: Type.String({ format: 'email' }),
            score: Type.Integer({ minimum: 0 }),
          }),
        },
      },
      async () => ({ ok: true }),
    );
    const res = await app.inject({ method: 'POST', url: '/leads', payload: { email: 'not-an-email', score: -1 } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM_CONTENT_TYPE);
    const body = res.json();
    expect(body).toMatchObject({
      type: 'https://crm-engine.dev/problems/validation',
      status: 400,
      instance: '/leads',
    });
    expect(body.errors).toHaveLength(3);
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { path: '/body/name', message: "must have required property 'name'" },
        { path: '/body/email', message: 'must match format "email"' },
        { path: '/body/score', message: 'must be >= 0' },
      ]),
    );
  });

  it('names the request part in the path of a querystring failure', async () => {
    app = await buildApp({ readiness });
    app.get(
      '/tasks',
      { schema: { querystring: Type.Object({ limit: Type.Integer({ maximum: 100 }) }) } },
      async () => [],
    );
    const res = await app.inject({ method: 'GET', url: '/tasks?limit=500' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ path: '/querystring/limit', message: 'must be <= 100' }]);
  });

  it('hides the message and stack of an unexpected error and logs it with the request id', async () => {
    const log = captureLog();
    app = await buildApp({ readiness, logger: log.logger });
    app.get('/boom', async () => {
      throw new Error('secret detail');
    });
    const res = await app.inject({ method: 'GET', url: '/boom', headers: { 'x-request-id': 'req-boom-1' } });
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toMatch(PROBLEM_CONTENT_TYPE);
    expect(res.json()).toEqual({
      type: 'https://crm-engine.dev/problems/internal',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred.',
      instance: '/boom',
    });
    expect(res.body).not.toContain('secret detail');
    expect(res.body).not.toContain('stack');
    expect(res.body).not.toContain('.ts:');
    const logged = log.records().find((record) => record['level'] === 50);
    expect(logged).toMatchObject({ reqId: 'req-boom-1', err: { message: 'secret detail' } });
  });

  it('hides the message of any 5xx that is not a ProblemError', async () => {
    app = await buildApp({ readiness });
    app.get('/upstream', async () => {
      throw Object.assign(new Error('pg: password authentication failed'), { statusCode: 502 });
    });
    const res = await app.inject({ method: 'GET', url: '/upstream' });
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({
      type: 'https://crm-engine.dev/problems/bad-gateway',
      detail: 'An unexpected error occurred.',
    });
    expect(res.body).not.toContain('password');
  });

  it('sends a thrown ProblemError with its status, type and extension members', async () => {
    app = await buildApp({ readiness });
    app.get('/instances/:id', { schema: { response: { 404: Problem } } }, async () => {
      throw new ProblemError({
        status: 404,
        type: 'instance-not-found',
        title: 'Instance not found',
        detail: 'No process instance i-42.',
        extensions: { instanceId: 'i-42', status: 999 },
      });
    });
    const res = await app.inject({ method: 'GET', url: '/instances/i-42' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(PROBLEM_CONTENT_TYPE);
    // The route's closed-looking 404 schema must not strip the extension, nor may the extension relabel status.
    expect(res.json()).toEqual({
      type: 'https://crm-engine.dev/problems/instance-not-found',
      title: 'Instance not found',
      status: 404,
      detail: 'No process instance i-42.',
      instance: '/instances/i-42',
      instanceId: 'i-42',
    });
  });

  it('keeps the status and message of an error that carries a 4xx statusCode', async () => {
    app = await buildApp({ readiness });
    app.post('/tasks/:id/claim', async () => {
      throw Object.assign(new Error('Task t-1 is already claimed.'), { statusCode: 409 });
    });
    const res = await app.inject({ method: 'POST', url: '/tasks/t-1/claim' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      type: 'https://crm-engine.dev/problems/conflict',
      title: 'Conflict',
      status: 409,
      detail: 'Task t-1 is already claimed.',
    });
  });

  it('keeps a 4xx status set with reply.code before the error was thrown', async () => {
    app = await buildApp({ readiness });
    app.post('/tasks/:id/complete', async (_request, reply) => {
      reply.code(409);
      throw new Error('Task t-2 is already completed.');
    });
    const res = await app.inject({ method: 'POST', url: '/tasks/t-2/complete' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ status: 409, detail: 'Task t-2 is already completed.' });
  });

  it('turns a malformed JSON body into a 400 problem', async () => {
    app = await buildApp({ readiness });
    app.post('/leads', async () => ({ ok: true }));
    const res = await app.inject({
      method: 'POST',
      url: '/leads',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM_CONTENT_TYPE);
    expect(res.json()).toMatchObject({
      type: 'https://crm-engine.dev/problems/bad-request',
      status: 400,
      instance: '/leads',
    });
  });

  it('answers an unsupported media type with a 415 problem', async () => {
    app = await buildApp({ readiness });
    app.post('/leads', async () => ({ ok: true }));
    const res = await app.inject({
      method: 'POST',
      url: '/leads',
      headers: { 'content-type': 'text/csv' },
      payload: 'a,b',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ type: 'https://crm-engine.dev/problems/unsupported-media-type', status: 415 });
  });
});
