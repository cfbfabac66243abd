import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Fastify, { type FastifyInstance, type InjectOptions } from 'fastify';
import { Type } from 'typebox';
import { ACTIVITY_CATALOG } from '../../../activities';
import { buildApp } from '../../../api/app';
import { addJsonLimitsKeyword } from '../../../api/input-limits/json-limits';
import { compileEverySchema, lazySchemaCompilers, nullableScalarsAsTypeLists } from '../../../api/schema-compilers';
import { IdempotencyHeaders } from '../../../api/schemas/idempotency';
import { JsonObject, NullableDateTime, NullableString } from '../../../api/schemas/json-and-paging';
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

describe('nullable scalars in responses', () => {
  const Row = Type.Object({
    at: NullableDateTime,
    note: NullableString,
    count: Type.Union([Type.Null(), Type.Integer()]),
    ok: Type.Union([Type.Boolean(), Type.Null()]),
    tags: Type.Array(Type.Union([Type.String(), Type.Null()])),
    owner: Type.Union([Type.Object({ id: Type.String() }), Type.Null()]),
    either: Type.Union([Type.String(), Type.Integer()]),
  });
  const Rows = Type.Object({ items: Type.Array(Row) });

  async function serve(lazy: boolean, items: unknown[]): Promise<FastifyInstance> {
    const compilers = lazySchemaCompilers();
    const app = Fastify(lazy ? { schemaController: { compilersFactory: compilers.compilersFactory } } : {});
    app.get('/rows', { schema: { response: { 200: Rows } } }, async () => ({ items }));
    await app.ready();
    return app;
  }

  it('serialise to the same bytes as Fastify’s own compilers', async () => {
    const items = [
      {
        at: '2026-12-01T10:00:00.123Z',
        note: 'a "quoted" 中文 note',
        count: 3,
        ok: false,
        tags: ['x', null],
        owner: { id: 'u-1', extra: 'dropped' },
        either: 7,
        extra: 'dropped',
      },
      { at: null, note: null, count: null, ok: null, tags: [], owner: null, either: 'text' },
      { at: new Date('2026-01-02T03:04:05.006Z'), note: '', count: 0, ok: true, tags: [null], owner: null, either: '' },
    ];
    const [eager, lazy] = await Promise.all([serve(false, items), serve(true, items)]);
    const [expected, actual] = await Promise.all([eager.inject('/rows'), lazy.inject('/rows')]);
    expect(expected.statusCode).toBe(200);
    expect(actual.statusCode).toBe(200);
    expect(actual.body).toBe(expected.body);
    expect(JSON.parse(actual.body).items[1]).toEqual({
      at: null,
      note: null,
      count: null,
      ok: null,
      tags: [],
      owner: null,
      either: 'text',
    });
    await Promise.all([eager.close(), lazy.close()]);
  });

  it('rewrites exactly the anyOf of one scalar and null, wherever it is', () => {
    const rewritten = JSON.parse(JSON.stringify(nullableScalarsAsTypeLists(Rows))) as {
      properties: { items: { items: { properties: Record<string, unknown> } } };
    };
    const row = rewritten.properties.items.items.properties;
    expect(row['at']).toEqual({ type: ['string', 'null'], format: 'date-time' });
    expect(row['note']).toEqual({ type: ['string', 'null'] });
    expect(row['count']).toEqual({ type: ['integer', 'null'] });
    expect(row['ok']).toEqual({ type: ['boolean', 'null'] });
    expect(row['tags']).toEqual({ type: 'array', items: { type: ['string', 'null'] } });
    // Not one scalar and null: left as written.
    expect(row['owner']).toMatchObject({ anyOf: [{ type: 'object' }, { type: 'null' }] });
    expect(row['either']).toEqual({ anyOf: [{ type: 'string' }, { type: 'integer' }] });
    // The schema handed in is not changed (the OpenAPI document and the validators read it).
    expect(JSON.stringify(Rows)).toContain('"at":{"anyOf":[{"type":"string","format":"date-time"},{"type":"null"}]}');
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
        // No database: nothing to listen to for the principal cache.
        auth: { ...TEST_AUTH, principalCacheSeconds: 0 },
        triggerPollMs: 0,
      },
    });
    await app.ready();
    expect(compileEverySchema(app)).toBeGreaterThan(200);
    await app.close();
  });
});
