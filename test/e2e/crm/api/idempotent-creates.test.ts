import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { startApiHarness, type ApiHarness } from '../../../support/api-harness';

const REP_KEY = 'demo-rep-key';
const MANAGER_KEY = 'demo-manager-key';
const SUPPORT_KEY = 'demo-support-lead-key';
const ADMIN_KEY = 'demo-admin-key';

interface CreateRoute {
  path: string;
  apiKey: string;
  table: string;
  /** The id of the record an answer of this route carries. */
  idOf(body: Record<string, unknown>): string;
  /** A body for a new record of a customer created for the test (mark: unique text, where the record has one). */
  body(customerId: string, mark: string): Record<string, unknown>;
  /** Where-clause counting the records made from bodies of this customer. */
  countWhere: string;
}

const nested = (member: string) => (body: Record<string, unknown>) => (body[member] as { id: string }).id;

/** Every CRM create route with what makes its records countable. */
const ROUTES: CreateRoute[] = [
  {
    path: '/api/v1/leads',
    apiKey: REP_KEY,
    table: 'leads',
    idOf: nested('lead'),
    body: (_customerId, mark) => ({ source: 'web', company: `Key Co ${mark}`, contactName: 'Li Lei' }),
    countWhere: 'company = ?',
  },
  {
    path: '/api/v1/quotes',
    apiKey: REP_KEY,
    table: 'quotes',
    idOf: nested('quote'),
    body: (customerId) => ({ customerId, lines: [{ productId: PRODUCT.id, quantity: 3 }] }),
    countWhere: 'customer_id = ?',
  },
  {
    path: '/api/v1/orders',
    apiKey: REP_KEY,
    table: 'orders',
    idOf: nested('order'),
    body: (customerId) => ({ customerId, lines: [{ productId: PRODUCT.id, quantity: 2 }] }),
    countWhere: 'customer_id = ?',
  },
  {
    path: '/api/v1/tickets',
    apiKey: SUPPORT_KEY,
    table: 'tickets',
    idOf: nested('ticket'),
    body: (customerId, mark) => ({ customerId, subject: `Printer ${mark}`, body: 'It jams.', category: 'technical' }),
    countWhere: 'customer_id = ?',
  },
  {
    path: '/api/v1/opportunities',
    apiKey: REP_KEY,
    table: 'opportunities',
    idOf: (body) => body['id'] as string,
    body: (customerId, mark) => ({ customerId, name: `Deal ${mark}`, stage: 'qualification' }),
    countWhere: 'customer_id = ?',
  },
  {
    path: '/api/v1/customers',
    apiKey: REP_KEY,
    table: 'customers',
    idOf: (body) => body['id'] as string,
    body: (_customerId, mark) => ({ name: `Key Customer ${mark}`, locale: 'en' }),
    countWhere: 'name = ?',
  },
  {
    path: '/api/v1/products',
    apiKey: ADMIN_KEY,
    table: 'products',
    idOf: (body) => body['id'] as string,
    body: (_customerId, mark) => ({
      sku: `SKU-${mark}`,
      name: `Paper ${mark}`,
      productLine: 'supplies',
      listPriceCents: 500,
    }),
    countWhere: 'name = ?',
  },
  {
    path: '/api/v1/suppliers',
    apiKey: ADMIN_KEY,
    table: 'suppliers',
    idOf: (body) => body['id'] as string,
    body: (_customerId, mark) => ({ name: `Supplier ${mark}`, productLines: ['supplies'] }),
    countWhere: 'name = ?',
  },
  {
    path: '/api/v1/warehouses',
    apiKey: ADMIN_KEY,
    table: 'warehouses',
    idOf: (body) => body['id'] as string,
    body: (_customerId, mark) => ({ name: `Depot ${mark}`, region: 'north' }),
    countWhere: 'name = ?',
  },
];

// Set in beforeAll; the route table reads it lazily.
const PRODUCT = { id: '' };

/** Idempotency-Key on every create: a retry answers the first record, a race makes one, another body is refused. */
describe('Idempotency-Key on the CRM create routes', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApiHarness();
    const product = await api.call('admin', {
      method: 'POST',
      url: '/api/v1/products',
      payload: { sku: `SKU-${randomUUID().slice(0, 8)}`, name: 'Toner', productLine: 'supplies', listPriceCents: 900 },
    });
    expect(product.statusCode).toBe(201);
    PRODUCT.id = product.json().id;
  });
  afterAll(async () => {
    await api.close();
  });

  const post = (apiKey: string, path: string, payload: unknown, key?: string) =>
    api.app.inject({
      method: 'POST',
      url: path,
      headers: { 'x-api-key': apiKey, ...(key ? { 'idempotency-key': key } : {}) },
      payload: payload as Record<string, unknown>,
    });

  async function newCustomer(): Promise<string> {
    const created = await post(REP_KEY, '/api/v1/customers', { name: `Key Owner ${randomUUID()}`, locale: 'en' });
    expect(created.statusCode).toBe(201);
    return created.json().id;
  }

  async function count(route: CreateRoute, customerId: string, mark: string, body: Record<string, unknown>) {
    const value = route.countWhere.startsWith('customer_id') ? customerId : (body['company'] ?? body['name']);
    const rows = await api.engine.orm.em
      .fork()
      .execute<{ n: string }[]>(`select count(*) as n from ${route.table} where ${route.countWhere}`, [value]);
    expect(mark).toBeTruthy();
    return Number(rows[0]!.n);
  }

  describe.each(ROUTES.map((route) => [route.path, route] as const))('POST %s', (_path, route) => {
    it('answers a retried request 200 with the record of the first, and makes one record', async () => {
      const customerId = await newCustomer();
      const mark = randomUUID();
      const body = route.body(customerId, mark);
      const key = `retry-${randomUUID()}`;
      const first = await post(route.apiKey, route.path, body, key);
      expect(first.statusCode).toBe(201);
      const retried = await post(route.apiKey, route.path, body, key);
      expect(retried.statusCode).toBe(200);
      expect(route.idOf(retried.json())).toBe(route.idOf(first.json()));
      expect(retried.headers['location']).toBe(first.headers['location']);
      expect(await count(route, customerId, mark, body)).toBe(1);
    });

    it('of 6 racing requests with one key answers exactly one 201, all with one record', async () => {
      const customerId = await newCustomer();
      const mark = randomUUID();
      const body = route.body(customerId, mark);
      const key = `race-${randomUUID()}`;
      const answers: LightMyRequestResponse[] = await Promise.all(
        Array.from({ length: 6 }, () => post(route.apiKey, route.path, body, key)),
      );
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201]);
      expect(new Set(answers.map((a) => route.idOf(a.json()))).size).toBe(1);
      expect(await count(route, customerId, mark, body)).toBe(1);
    });

    it('refuses the key with another body (409 idempotency-key-reused), and keeps the key per caller', async () => {
      const customerId = await newCustomer();
      const key = `reuse-${randomUUID()}`;
      const first = await post(route.apiKey, route.path, route.body(customerId, randomUUID()), key);
      expect(first.statusCode).toBe(201);
      const other = await post(route.apiKey, route.path, route.body(await newCustomer(), randomUUID()), key);
      expect(other.statusCode).toBe(409);
      expect(other.headers['content-type']).toContain('application/problem+json');
      expect(other.json()).toMatchObject({
        type: 'https://crm-engine.dev/problems/idempotency-key-reused',
        resourceId: route.idOf(first.json()),
      });
      if (route.apiKey === REP_KEY) {
        // The same key of another caller is another request.
        const managers = await post(MANAGER_KEY, route.path, route.body(customerId, randomUUID()), key);
        expect(managers.statusCode).toBe(201);
        expect(route.idOf(managers.json())).not.toBe(route.idOf(first.json()));
      }
    });
  });

  it('takes a key on POST /customers/:id/contacts: retry 200, race one 201, another body 409', async () => {
    const path = `/api/v1/customers/${await newCustomer()}/contacts`;
    const name = `Contact ${randomUUID()}`;
    const key = `contact-${randomUUID()}`;
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(REP_KEY, path, { name }, key)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
    const retried = await post(REP_KEY, path, { name }, key);
    expect(retried.statusCode).toBe(200);
    expect(retried.json().id).toBe(answers[0]!.json().id);
    expect((await post(REP_KEY, path, { name: `${name} Jr.` }, key)).statusCode).toBe(409);
    const rows = await api.engine.orm.em
      .fork()
      .execute<{ n: string }[]>('select count(*) as n from contacts where name = ?', [name]);
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it('keeps keys apart per kind of record: one key on /customers and /leads makes a customer and a lead', async () => {
    const key = `scope-${randomUUID()}`;
    const customer = await post(REP_KEY, '/api/v1/customers', { name: `Scope ${randomUUID()}`, locale: 'en' }, key);
    const lead = await post(
      REP_KEY,
      '/api/v1/leads',
      { source: 'web', company: `Scope ${randomUUID()}`, contactName: 'Han' },
      key,
    );
    expect([customer.statusCode, lead.statusCode]).toEqual([201, 201]);
  });

  it('rolls a failed create back with its key: the retry is answered the same, and a corrected body may take the key', async () => {
    const key = `failed-${randomUUID()}`;
    const body = { customerId: 'C-MISSING', lines: [{ productId: PRODUCT.id, quantity: 1 }] };
    expect((await post(REP_KEY, '/api/v1/orders', body, key)).statusCode).toBe(422);
    expect((await post(REP_KEY, '/api/v1/orders', body, key)).statusCode).toBe(422);
    const fixed = await post(REP_KEY, '/api/v1/orders', { ...body, customerId: await newCustomer() }, key);
    expect(fixed.statusCode).toBe(201);
  });

  it('documents the Idempotency-Key header, the 200 answer and the outage 503 on every create route', async () => {
    const spec = (await api.app.inject({ url: '/docs/json' })).json();
    for (const route of [...ROUTES.map((r) => r.path), '/api/v1/instances']) {
      const operation = spec.paths[route]?.post;
      expect(operation).toBeDefined();
      expect(operation.parameters).toEqual(
        expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'idempotency-key' })]),
      );
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '201', '503']));
      expect(operation.responses['503'].headers).toHaveProperty('Retry-After');
    }
  });
});
