import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../../api/app';
import { JsonObject, JsonValue } from '../../../../api/schemas/json-and-paging';
import { ValidationProblem } from '../../../../api/schemas/problem';
import { Quantity } from '../../../../db/crm/fields/field-schemas';

const readiness = { database: async () => {}, temporal: async () => {} };

const Body = Type.Object(
  {
    name: Type.String(),
    key: Type.Optional(Type.String({ pattern: '^[a-z]+$' })),
    quantity: Type.Optional(Quantity),
    count: Type.Optional(Type.Integer()),
    ratio: Type.Optional(Type.Number()),
    input: Type.Optional(JsonValue),
    form: Type.Optional(JsonObject),
  },
  { additionalProperties: false },
);

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < depth; level++) value = { next: value };
  return value;
}

let app: FastifyInstance;
const written: unknown[] = [];
beforeAll(async () => {
  app = await buildApp({ readiness, inputLimits: { jsonMaxBytes: 1000, jsonMaxDepth: 5 } });
  app.post(
    '/things',
    { schema: { body: Body, response: { 201: Type.Object({}), 400: ValidationProblem } } },
    async (request, reply) => {
      written.push(request.body);
      return reply.code(201).send({});
    },
  );
  app.get('/things', { schema: { querystring: Type.Object({ q: Type.Optional(Type.String()) }) } }, async () => ({}));
  await app.ready();
});
afterAll(async () => app.close());

async function post(body: unknown) {
  return app.inject({ method: 'POST', url: '/things', payload: body as Record<string, unknown> });
}

describe('limits every request schema gets', () => {
  it.each([
    ['a NUL in a string', { name: 'a\u0000b' }, '/body/name', 'must not contain the NUL character (U+0000)'],
    ['a NUL in a string that has a pattern', { name: 'x', key: 'ab\u0000' }, '/body/key', 'must not contain the NUL'],
    ['a string over 2000 characters', { name: 'x'.repeat(2001) }, '/body/name', 'must NOT have more than 2000'],
    ['quantity 1e300', { name: 'x', quantity: 1e300 }, '/body/quantity', 'must be <='],
    ['an unbounded integer at 1e300', { name: 'x', count: 1e300 }, '/body/count', 'must be <= 2147483647'],
    ['an unbounded number at 1e300', { name: 'x', ratio: 1e300 }, '/body/ratio', 'must be <='],
    ['a NUL deep in free-form JSON', { name: 'x', input: { a: [{ b: 'c\u0000' }] } }, '/body/input/a/0/b', 'NUL'],
    ['a NUL in a free-form key', { name: 'x', form: { 'a\u0000': 1 } }, '/body/form/a\u0000', 'NUL'],
    ['free-form JSON nested too deep', { name: 'x', input: nested(6) }, '/body/input', 'deeper than 5'],
    ['free-form JSON too large', { name: 'x', form: { text: 'y'.repeat(1000) } }, '/body/form', 'larger than 1000'],
  ])('refuses %s with a 400 pointing at it', async (_case, body, path, message) => {
    const before = written.length;
    const res = await post(body);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const errors = res.json<{ errors: Array<{ path: string; message: string }> }>().errors;
    expect(errors).toEqual(
      expect.arrayContaining([{ path: expect.stringContaining(path), message: expect.stringContaining(message) }]),
    );
    expect(written).toHaveLength(before);
  });

  it('accepts free-form JSON within the limits', async () => {
    const res = await post({ name: 'x', input: nested(4), form: { a: 1, b: ['c'] }, count: -5, ratio: 0.5 });
    expect(res.statusCode).toBe(201);
  });

  it('refuses a 10 000-deep body without failing', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/json' },
      payload: `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
    });
    expect(res.statusCode).toBe(400);
  });

  it('refuses a NUL in a query parameter', async () => {
    const res = await app.inject({ method: 'GET', url: '/things?q=a%00b' });
    expect(res.statusCode).toBe(400);
  });

  it('answers a JSON body over the body limit with 413', async () => {
    const res = await post({ name: 'x'.repeat(300_000) });
    expect(res.statusCode).toBe(413);
  });

  it('shows the limits in the OpenAPI document', async () => {
    const document = app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const schema = JSON.stringify(document.paths['/things']);
    expect(schema).toContain('"maxLength":2000');
    expect(schema).toContain('"pattern":"^[^\\\\u0000]*$"');
    expect(schema).toContain('"x-json-limits":{"maxBytes":1000,"maxDepth":5}');
    expect(schema).toContain('"maximum":2147483647');
  });
});
