import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { startApiHarness, type ApiHarness } from '../../../support/api-harness';

/*
 * Record-level scoping of the sales records through HTTP, with the demo company's people
 * (db/seed/engine-users.ts): a rep sees and changes their own customers, leads, opportunities,
 * quotes and orders, a manager the team's (region), finance amounts without contact fields. A
 * record outside the scope answers like a missing one, and a refused change writes nothing.
 */

const KEY = {
  admin: 'demo-admin-key',
  repEast1: 'demo-rep-east-1-key',
  repEast2: 'demo-rep-east-2-key',
  repNorth: 'demo-rep-north-1-key',
  mgrEast: 'demo-mgr-east-key',
  mgrNorth: 'demo-mgr-north-key',
  finance: 'demo-finance-key',
  director: 'demo-director-key',
  warehouse: 'demo-warehouse-key',
} as const;
type Who = keyof typeof KEY;

describe('record scoping of the sales records', () => {
  let api: ApiHarness;
  const tag = `Scope ${randomUUID().slice(0, 8)}`;
  const ids = {} as Record<
    | 'east1Customer'
    | 'east2Customer'
    | 'northCustomer'
    | 'east1Lead'
    | 'northLead'
    | 'east1Opportunity'
    | 'northOpportunity'
    | 'east1Quote'
    | 'northQuote'
    | 'east1Order'
    | 'northOrder'
    | 'product',
    string
  >;

  const call = (who: Who, options: InjectOptions): Promise<LightMyRequestResponse> =>
    api.app.inject({ ...options, headers: { 'x-api-key': KEY[who], ...options.headers } });
  const get = (who: Who, url: string) => call(who, { method: 'GET', url });
  async function created(who: Who, url: string, payload: object): Promise<Record<string, unknown>> {
    const response = await call(who, { method: 'POST', url, payload });
    expect(response.statusCode).toBe(201);
    return response.json();
  }
  const customer = (who: Who, name: string) =>
    created(who, '/api/v1/customers', {
      name: `${tag} ${name}`,
      contacts: [
        { name: `Contact of ${name}`, email: `${randomUUID().slice(0, 8)}@buyer.example`, phone: '13800138000' },
      ],
    }).then((body) => body['id'] as string);

  beforeAll(async () => {
    api = await startApiHarness();
    ids.east1Customer = await customer('repEast1', 'east 1');
    ids.east2Customer = await customer('repEast2', 'east 2');
    ids.northCustomer = await customer('repNorth', 'north');
    ids.product = (
      await created('admin', '/api/v1/products', {
        sku: `SKU-${randomUUID().slice(0, 8)}`,
        name: 'Scoped router',
        productLine: 'hardware',
        listPriceCents: 10_000,
      })
    )['id'] as string;
    const lead = (who: Who) =>
      created(who, '/api/v1/leads?allowDuplicate=true', { source: 'web', company: `${tag} Co`, contactName: 'Li' });
    ids.east1Lead = ((await lead('repEast1'))['lead'] as { id: string }).id;
    ids.northLead = ((await lead('repNorth'))['lead'] as { id: string }).id;
    const opportunity = (who: Who, customerId: string) =>
      created(who, '/api/v1/opportunities', { customerId, name: tag }).then((body) => body['id'] as string);
    ids.east1Opportunity = await opportunity('repEast1', ids.east1Customer);
    ids.northOpportunity = await opportunity('repNorth', ids.northCustomer);
    const quote = (who: Who, customerId: string) =>
      created(who, '/api/v1/quotes', { customerId, lines: [{ productId: ids.product, quantity: 1 }] }).then(
        (body) => (body['quote'] as { id: string }).id,
      );
    ids.east1Quote = await quote('repEast1', ids.east1Customer);
    ids.northQuote = await quote('repNorth', ids.northCustomer);
    const order = (who: Who, customerId: string) =>
      created(who, '/api/v1/orders', { customerId, lines: [{ productId: ids.product, quantity: 1 }] }).then(
        (body) => (body['order'] as { id: string }).id,
      );
    ids.east1Order = await order('repEast1', ids.east1Customer);
    ids.northOrder = await order('repNorth', ids.northCustomer);
  });
  afterAll(async () => {
    await api.close();
  });

  /** The 404 of a record outside the caller's scope, with the id masked, equals that of an id that does not exist. */
  async function expectHiddenLikeMissing(who: Who, path: string, id: string, missingId: string) {
    const hidden = await get(who, `/api/v1/${path}/${id}`);
    const missing = await get(who, `/api/v1/${path}/${missingId}`);
    expect(hidden.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(hidden.body.replaceAll(id, '<id>')).toBe(missing.body.replaceAll(missingId, '<id>'));
  }

  it("answers another rep's record of every kind as a missing one (404, same body)", async () => {
    await expectHiddenLikeMissing('repEast1', 'customers', ids.northCustomer, 'C-MISSING');
    await expectHiddenLikeMissing('repEast1', 'leads', ids.northLead, 'L-MISSING');
    await expectHiddenLikeMissing('repEast1', 'opportunities', ids.northOpportunity, 'OP-MISSING');
    await expectHiddenLikeMissing('repEast1', 'quotes', ids.northQuote, 'Q-MISSING');
    await expectHiddenLikeMissing('repEast1', 'orders', ids.northOrder, 'O-MISSING');
    // Same region, same manager, still another rep's.
    await expectHiddenLikeMissing('repEast1', 'customers', ids.east2Customer, 'C-MISSING');
    for (const [path, id] of [
      ['customers', ids.east1Customer],
      ['leads', ids.east1Lead],
      ['opportunities', ids.east1Opportunity],
      ['quotes', ids.east1Quote],
      ['orders', ids.east1Order],
    ] as const) {
      expect((await get('repEast1', `/api/v1/${path}/${id}`)).statusCode).toBe(200);
    }
  });

  it('lists only the records in scope, filtered in the query so keyset pages stay whole', async () => {
    const more = [await customer('repEast1', 'east 1b'), await customer('repEast1', 'east 1c')];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `name=${encodeURIComponent(tag)}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = (await get('repEast1', `/api/v1/customers?${query}`)).json() as {
        items: { id: string }[];
        nextCursor: string | null;
      };
      // A filter after the query would leave pages empty; in the query every page holds one of his.
      expect(page.items).toHaveLength(1);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen.sort()).toEqual([ids.east1Customer, ...more].sort());

    for (const path of ['leads', 'opportunities', 'quotes', 'orders']) {
      const items = (await get('repEast1', `/api/v1/${path}?limit=200`)).json().items as { ownerId: string | null }[];
      expect(items.length).toBeGreaterThan(0);
      expect(items.every((item) => item.ownerId === 'u-rep-east-1')).toBe(true);
    }
    expect((await get('repEast1', `/api/v1/quotes?customerId=${ids.northCustomer}`)).json().items).toEqual([]);
    expect((await get('repEast1', `/api/v1/orders?ownerId=u-rep-north-1`)).json().items).toEqual([]);
  });

  it("shows a manager the team's records (their region), never another region's", async () => {
    const listed = async (who: Who, path: string) =>
      ((await get(who, `/api/v1/${path}`)).json().items as { id: string }[]).map((item) => item.id);
    expect(await listed('mgrNorth', `customers?name=${encodeURIComponent(tag)}`)).toEqual([ids.northCustomer]);
    expect(await listed('mgrEast', `customers?name=${encodeURIComponent(tag)}`)).toEqual(
      expect.arrayContaining([ids.east1Customer, ids.east2Customer]),
    );
    expect(await listed('mgrEast', `customers?name=${encodeURIComponent(tag)}`)).not.toContain(ids.northCustomer);
    for (const [path, east, north] of [
      ['customers', ids.east1Customer, ids.northCustomer],
      ['leads', ids.east1Lead, ids.northLead],
      ['opportunities', ids.east1Opportunity, ids.northOpportunity],
      ['quotes', ids.east1Quote, ids.northQuote],
      ['orders', ids.east1Order, ids.northOrder],
    ] as const) {
      expect((await get('mgrNorth', `/api/v1/${path}/${north}`)).statusCode).toBe(200);
      expect((await get('mgrNorth', `/api/v1/${path}/${east}`)).statusCode).toBe(404);
      expect((await get('mgrEast', `/api/v1/${path}/${east}`)).statusCode).toBe(200);
      expect(await listed('mgrNorth', `${path}?limit=200`)).not.toContain(east);
    }
    expect(await listed('mgrNorth', 'leads?limit=200')).toContain(ids.northLead);
  });

  it("counts in a customer's view only the records the reader may see", async () => {
    // The manager quotes his rep's customer: the manager's quote is not the rep's to see.
    await created('mgrEast', '/api/v1/quotes', {
      customerId: ids.east1Customer,
      lines: [{ productId: ids.product, quantity: 2 }],
    });
    const counts = async (who: Who) => (await get(who, `/api/v1/customers/${ids.east1Customer}`)).json().counts;
    expect(await counts('repEast1')).toMatchObject({ openOpportunities: 1, quotes: 1, orders: 1 });
    expect(await counts('mgrEast')).toMatchObject({ quotes: 2, orders: 1 });
    // Reps read no tickets and finance no leads: those counts are left out, not zero.
    expect(await counts('repEast1')).not.toHaveProperty('tickets');
    expect(await counts('finance')).not.toHaveProperty('openLeads');
    expect(await counts('finance')).toMatchObject({ quotes: 2, orders: 1 });
  });

  it('gives finance amounts but no contact e-mails or phones, and the OpenAPI document says so', async () => {
    const asFinance = (await get('finance', `/api/v1/customers/${ids.northCustomer}`)).json();
    expect(asFinance.contacts).toHaveLength(1);
    expect(asFinance.contacts[0]).toMatchObject({ name: 'Contact of north' });
    expect(asFinance.contacts[0]).not.toHaveProperty('email');
    expect(asFinance.contacts[0]).not.toHaveProperty('phone');
    expect((await get('finance', `/api/v1/orders/${ids.northOrder}`)).json()).toMatchObject({ totalCents: 10_000 });
    const asDirector = (await get('director', `/api/v1/customers/${ids.northCustomer}`)).json();
    expect(asDirector.contacts[0]).toMatchObject({
      email: expect.stringContaining('@buyer.example'),
      phone: '+8613800138000',
    });
    // The warehouse reads no customers at all, but every order.
    expect((await get('warehouse', `/api/v1/customers/${ids.northCustomer}`)).statusCode).toBe(403);
    expect((await get('warehouse', `/api/v1/orders/${ids.northOrder}`)).statusCode).toBe(200);
    // Finance reads the catalogue, not stock levels.
    expect((await get('finance', `/api/v1/products/${ids.product}`)).json()).not.toHaveProperty('stock');
    expect((await get('repEast1', `/api/v1/products/${ids.product}`)).json()).toHaveProperty('stock');

    const doc = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const resolve = (schema: { $ref?: string } & Record<string, unknown>): Record<string, unknown> =>
      schema.$ref ? resolve(doc.components.schemas[schema.$ref.split('/').pop()!]) : schema;
    const view = resolve(doc.paths['/api/v1/customers/{id}'].get.responses['200'].content['application/json'].schema);
    const contact = resolve((view['properties'] as Record<string, { items: never }>)['contacts']!.items) as {
      properties: Record<string, { description?: string }>;
      required?: string[];
    };
    for (const field of ['email', 'phone']) {
      expect(contact.properties[field]!.description).toContain('omitted for roles without contacts.read');
      expect(contact.required ?? []).not.toContain(field);
    }
  });

  it("refuses taking another rep's customer or giving one away, and changes nothing", async () => {
    const owner = async (id: string) => (await get('admin', `/api/v1/customers/${id}`)).json().ownerId as string;
    const patch = (who: Who, id: string, payload: object) =>
      call(who, { method: 'PATCH', url: `/api/v1/customers/${id}`, payload });

    // Another rep's customer is not there for him: 404, and it keeps its owner.
    expect((await patch('repEast1', ids.east2Customer, { ownerId: 'u-rep-east-1' })).statusCode).toBe(404);
    expect((await patch('repEast1', ids.northCustomer, { grade: 'VIP' })).statusCode).toBe(404);
    expect(await owner(ids.east2Customer)).toBe('u-rep-east-2');
    expect((await get('admin', `/api/v1/customers/${ids.northCustomer}`)).json().grade).toBe('C');
    // His own he may change, but not hand to anyone: reps do not reassign.
    const given = await patch('repEast1', ids.east1Customer, { ownerId: 'u-rep-east-2', grade: 'A' });
    expect(given.statusCode).toBe(403);
    expect((await get('admin', `/api/v1/customers/${ids.east1Customer}`)).json()).toMatchObject({
      ownerId: 'u-rep-east-1',
      grade: 'C',
    });
    // Nor create one for somebody else.
    const forOther = await call('repEast1', {
      method: 'POST',
      url: '/api/v1/customers',
      payload: { name: `${tag} for east 2`, ownerId: 'u-rep-east-2' },
    });
    expect(forOther.statusCode).toBe(403);
    const named = (await get('admin', `/api/v1/customers?name=${encodeURIComponent(`${tag} for east 2`)}`)).json();
    expect(named.items).toEqual([]);
    // Nor add a contact to another's customer.
    const contact = await call('repEast1', {
      method: 'POST',
      url: `/api/v1/customers/${ids.northCustomer}/contacts`,
      payload: { name: 'Intruder', email: 'intruder@evil.example' },
    });
    expect(contact.statusCode).toBe(404);
    expect((await get('admin', `/api/v1/customers/${ids.northCustomer}`)).json().contacts).toHaveLength(1);

    // A manager reassigns within the team, not out of it.
    const teamCustomer = await customer('repEast1', 'reassigned');
    expect((await patch('mgrEast', teamCustomer, { ownerId: 'u-rep-east-2' })).statusCode).toBe(200);
    expect(await owner(teamCustomer)).toBe('u-rep-east-2');
    expect((await patch('mgrEast', teamCustomer, { ownerId: 'u-rep-north-1' })).statusCode).toBe(403);
    expect((await patch('mgrNorth', teamCustomer, { ownerId: 'u-rep-north-1' })).statusCode).toBe(404);
    expect(await owner(teamCustomer)).toBe('u-rep-east-2');
  });

  it("refuses moving another rep's opportunity, and it stays where it was", async () => {
    const moved = await call('repEast1', {
      method: 'PATCH',
      url: `/api/v1/opportunities/${ids.northOpportunity}/stage`,
      payload: { stage: 'lost' },
    });
    expect(moved.statusCode).toBe(404);
    expect((await get('admin', `/api/v1/opportunities/${ids.northOpportunity}`)).json()).toMatchObject({
      stage: 'prospecting',
      probability: 10,
    });
    const byManager = await call('mgrNorth', {
      method: 'PATCH',
      url: `/api/v1/opportunities/${ids.northOpportunity}/stage`,
      payload: { stage: 'proposal' },
    });
    expect(byManager.json()).toMatchObject({ stage: 'proposal', probability: 50 });
  });

  it('quotes, orders and opportunities only for customers the caller may see (422 naming them, nothing written)', async () => {
    const countOf = async (path: string) =>
      ((await get('admin', `/api/v1/${path}?customerId=${ids.northCustomer}&limit=200`)).json().items as unknown[])
        .length;
    const before = { quotes: await countOf('quotes'), orders: await countOf('orders') };
    const lines = [{ productId: ids.product, quantity: 1 }];
    const quote = await call('repEast1', {
      method: 'POST',
      url: '/api/v1/quotes',
      payload: { customerId: ids.northCustomer, opportunityId: ids.northOpportunity, lines },
    });
    expect(quote.statusCode).toBe(422);
    expect(quote.json().references).toEqual([
      { path: '/body/customerId', kind: 'customer', id: ids.northCustomer },
      { path: '/body/opportunityId', kind: 'opportunity', id: ids.northOpportunity },
    ]);
    const order = await call('repEast1', {
      method: 'POST',
      url: '/api/v1/orders',
      payload: { customerId: ids.northCustomer, lines },
    });
    expect(order.statusCode).toBe(422);
    expect(order.json().references).toEqual([{ path: '/body/customerId', kind: 'customer', id: ids.northCustomer }]);
    const fromQuote = await call('repEast1', {
      method: 'POST',
      url: '/api/v1/orders',
      payload: { customerId: ids.east1Customer, quoteId: ids.northQuote, lines },
    });
    expect(fromQuote.statusCode).toBe(422);
    expect(fromQuote.json().references).toEqual([{ path: '/body/quoteId', kind: 'quote', id: ids.northQuote }]);
    expect({ quotes: await countOf('quotes'), orders: await countOf('orders') }).toEqual(before);
    const opportunity = await call('repEast1', {
      method: 'POST',
      url: '/api/v1/opportunities',
      payload: { customerId: ids.northCustomer, leadId: ids.northLead },
    });
    expect(opportunity.statusCode).toBe(422);
    expect(opportunity.json().references.map((r: { path: string }) => r.path)).toEqual([
      '/body/customerId',
      '/body/leadId',
    ]);
  });

  it('keeps purchase receipts and order events to the warehouse, admins and systems, for orders they may see', async () => {
    const requestId = `PQ-${randomUUID().slice(0, 8)}`;
    await api.engine.orm.em
      .fork()
      .execute(
        `insert into purchase_requests (id, idempotency_key, product_id, order_id, quantity, status) values (?, ?, ?, ?, 3, 'ordered')`,
        [requestId, requestId, ids.product, ids.northOrder],
      );
    const receive = await call('repNorth', {
      method: 'POST',
      url: `/api/v1/purchase-requests/${requestId}/receive`,
      payload: { warehouseId: 'WH-ANY' },
    });
    expect(receive.statusCode).toBe(403);
    expect((await get('repNorth', `/api/v1/purchase-requests?orderId=${ids.northOrder}`)).statusCode).toBe(403);
    const listed = (await get('warehouse', `/api/v1/purchase-requests?orderId=${ids.northOrder}`)).json().items;
    expect(listed).toEqual([expect.objectContaining({ id: requestId, status: 'ordered' })]);

    for (const event of ['stock.received', 'delivery.confirmed']) {
      const intoOther = await call('repEast1', {
        method: 'POST',
        url: `/api/v1/orders/${ids.northOrder}/events`,
        payload: { event },
      });
      expect(intoOther.statusCode).toBe(403);
      const intoOwn = await call('repEast1', {
        method: 'POST',
        url: `/api/v1/orders/${ids.east1Order}/events`,
        payload: { event },
      });
      expect(intoOwn.statusCode).toBe(403);
    }
    expect(
      (await call('repNorth', { method: 'POST', url: `/api/v1/orders/${ids.northOrder}/delivery-confirmation` }))
        .statusCode,
    ).toBe(403);
    const missing = await call('warehouse', {
      method: 'POST',
      url: '/api/v1/orders/O-MISSING/events',
      payload: { event: 'stock.received' },
    });
    expect(missing.statusCode).toBe(404);
  });
});
