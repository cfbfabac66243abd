import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../../api/app';
import { Problem, ValidationProblem } from '../../../../api/schemas/problem';

const readiness = { database: async () => {}, temporal: async () => {} };
const PROBLEM_CONTENT_TYPE = /^application\/problem\+json/;

/*
 * Fastify's own refusals (the body cannot be parsed, is too large, has the wrong type) go through
 * the route's error handler and its response schemas; a CRM write route declares `400:
 * ValidationProblem`, whose required `errors` Fastify's error lacked: every such 400 was a 500.
 */
let app: FastifyInstance;
beforeAll(async () => {
  app = await buildApp({ readiness });
  app.post(
    '/customers',
    {
      schema: {
        body: Type.Object({ name: Type.String() }, { additionalProperties: false }),
        response: { 201: Type.Object({ id: Type.String() }), 400: ValidationProblem, 422: Problem },
      },
    },
    async (_request, reply) => reply.code(201).send({ id: 'c-1' }),
  );
  await app.ready();
});
afterAll(async () => app.close());

const json = { 'content-type': 'application/json' };

describe("Fastify's own client errors on a route whose 400 is a ValidationProblem", () => {
  it.each([
    ['malformed JSON', json, '{"name": '],
    ['an empty body with a JSON content type', json, ''],
    ['a __proto__ key', json, '{"name":"x","__proto__":{"admin":true}}'],
    ['a constructor.prototype key', json, '{"name":"x","constructor":{"prototype":{"admin":true}}}'],
  ])('answers %s with a 400 problem listing the body as the culprit', async (_case, headers, payload) => {
    const res = await app.inject({ method: 'POST', url: '/customers', headers, payload });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM_CONTENT_TYPE);
    expect(res.json()).toMatchObject({ status: 400, errors: [{ path: '/body' }] });
  });

  it('answers an unsupported media type with a 415 problem', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/customers',
      headers: { 'content-type': 'application/x-unknown' },
      payload: 'x',
    });
    expect(res.statusCode).toBe(415);
    expect(res.headers['content-type']).toMatch(PROBLEM_CONTENT_TYPE);
  });

  it('answers a body over the limit with a 413 problem', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/customers',
      headers: json,
      payload: JSON.stringify({ name: 'x'.repeat(2_000_000) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(PROBLEM_CONTENT_TYPE);
    expect(res.json()).toMatchObject({ status: 413, type: 'https://crm-engine.dev/problems/payload-too-large' });
  });
});
