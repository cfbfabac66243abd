import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Fastify, { type FastifyInstance, type InjectOptions } from 'fastify';
import { Type } from 'typebox';
import { ACTIVITY_CATALOG } from '../../../activities';
import { buildApp } from '../../../api/app';
import { addJsonLimitsKeyword } from '../../../api/input-limits/json-limits';
import { compileEverySchema, lazySchemaCompilers } from '../../../api/schema-compilers';
import { IdempotencyHeaders } from '../../../api/schemas/idempotency';
import { JsonObject } from '../../../api/schemas/json-and-paging';
import { TEST_AUTH } from '../../support/test-auth';

const readiness = { database: async () => {}, temporal: async () => {} };

const Body = Type.Object(
  {
    name: Type.String({ minLength: 2 }),
    count: Type.Optional(Type.Integer({ minimum: 0 })),
    tags: Type.Optional(Type.Array(Type.String(), { maxItems: 2 })),
    form: Type.Optional(JsonObject),
  },
  { additionalProperties: false },
);
const Query = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 50, default: 20 }),
  flag: Type.Optional(Type.Boolean()),
  ids: Type.Optional(Type.Array(Type.Integer())),
});
const Params = Type.Object({ id: Type.String({ pattern: '^[a-z]+$' }) });
const Reply = Type.Object({ id: Type.String(), limit: Type.Integer(), ids: Type.Array(Type.Integer()) });

/** The app's Ajv options; `lazy` decides between Fastify's own compilers and the deferring ones. */
async function build(lazy: boolean): Promise<FastifyInstance> {
  const compilers = lazySchemaCompilers();
  const app = Fastify({
    ajv: { customOptions: { allErrors: true, removeAdditional: false }, plugins: [addJsonLimitsKeyword] },
    ...(lazy ? { schemaController: { compilersFactory: compilers.compilersFactory } } : {}),
  });
  if (lazy) compilers.attach(app);
  app.post(
    '/things/:id',
    {
      schema: { body: Body, querystring: Query, params: Params, headers: IdempotencyHeaders, response: { 200: Reply } },
    },
    async (request) => {
      const query = request.query as { limit: number; ids?: number[] };
      // The extra property must be dropped by the response serialiser.
      return { id: (request.params as { id: string }).id, limit: query.limit, ids: query.ids ?? [], secret: 'x' };
    },
  );
  await app.ready();
  return app;
}

const requests: Array<[string, number, InjectOptions]> = [
  ['a valid request, coercing and defaulting the query', 200, { url: '/things/abc?ids=1', payload: { name: 'ok' } }],
  ['a query with coercible values', 200, { url: '/things/abc?limit=5&flag=true&ids=1&ids=2', payload: { name: 'ok' } }],
  [
    'many body errors at once',
    400,
    { url: '/things/abc', payload: { name: 'x', count: -1, tags: ['a', 'b', 'c'], y: 1 } },
  ],
  ['a bad query', 400, { url: '/things/abc?limit=0&flag=maybe&ids=x', payload: { name: 'ok' } }],
  ['a bad path parameter', 400, { url: '/things/ABC', payload: { name: 'ok' } }],
  [
    'an empty idempotency key',
    400,
    { url: '/things/abc', headers: { 'idempotency-key': '' }, payload: { name: 'ok' } },
  ],
  ['a free-form object that is a string', 400, { url: '/things/abc', payload: { name: 'ok', form: 'x' } }],
  ['no body', 400, { url: '/things/abc' }],
];

describe('lazy schema compilers', () => {
  let eager: FastifyInstance;
  let lazy: FastifyInstance;
  beforeAll(async () => {
    [eager, lazy] = await Promise.all([build(false), build(true)]);
  });
  afterAll(async () => Promise.all([eager.close(), lazy.close()]));

  it.each(requests)('answer %s (%i) as Fastify’s own compilers do', async (_what, status, request) => {
    const options: InjectOptions = { method: 'POST', ...request };
    const [expected, actual] = await Promise.all([eager.inject(options), lazy.inject(options)]);
    expect(expected.statusCode).toBe(status);
    expect({ status: actual.statusCode, body: actual.body }).toEqual({
      status: expected.statusCode,
      body: expected.body,
    });
  });

  it('compiles nothing at ready() and everything on demand', async () => {
    const app = await build(true);
    // body, querystring, params, headers and the 200 serialiser
    expect(compileEverySchema(app)).toBe(5);
    await app.close();
  });

  it('refuses a header schema with a mixed-case name (Fastify would lowercase it; these compilers do not)', async () => {
    const compilers = lazySchemaCompilers();
    const app = Fastify({ schemaController: { compilersFactory: compilers.compilersFactory } });
    app.get('/h', { schema: { headers: Type.Object({ 'X-Key': Type.String() }) } }, async () => ({}));
    await expect(app.ready()).rejects.toMatchObject({ code: 'FST_ERR_SCH_VALIDATION_BUILD' });
  });

  it('reports a schema that does not compile when forced, naming the route', async () => {
    const compilers = lazySchemaCompilers();
    const app = Fastify({ schemaController: { compilersFactory: compilers.compilersFactory } });
    compilers.attach(app);
    app.post(
      '/broken',
      { schema: { body: { type: 'object', properties: { a: { type: 'no-such-type' } } } } },
      () => ({}),
    );
    await app.ready();
    expect(() => compileEverySchema(app)).toThrow(/POST: \/broken/);
    await app.close();
  });
});

describe('the whole API', () => {
  it('compiles every route’s validators and serialisers', async () => {
    const orm = new Proxy({}, { get: () => () => ({}) });
    const app = await buildApp({
      readiness,
      engine: {
        orm: orm as never,
        client: {} as never,
        taskQueue: 'unused',
        catalog: ACTIVITY_CATALOG,
        auth: TEST_AUTH,
        triggerPollMs: 0,
      },
    });
    await app.ready();
    expect(compileEverySchema(app)).toBeGreaterThan(200);
    await app.close();
  });
});
