import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { startApiHarness, type ApiHarness } from '../../../support/api-harness';

/** Customers, catalogue, quotes, orders and purchase receipts through HTTP on the real servers. */
describe('CRM sales API', () => {
  let api: ApiHarness;
  let customerId: string;
  let productId: string;
  let warehouseId: string;
  beforeAll(async () => {
    api = await startApiHarness();
    const customer = await api.call('rep', {
      method: 'POST',
      url: '/api/v1/customers',
      payload: {
        name: `Beijing Trading ${randomUUID().slice(0, 6)}`,
        grade: 'A',
        discountRate: 0.05,
        contacts: [{ name: 'Zhang San', phone: '13800138000', isPrimary: true }],
      },
    });
    expect(customer.statusCode).toBe(201);
    customerId = customer.json().id;
    const product = await api.call('admin', {
      method: 'POST',
      url: '/api/v1/products',
      payload: {
        sku: `SKU-${randomUUID().slice(0, 8)}`,
        name: 'Router',
        productLine: 'hardware',
        listPriceCents: 12_500,
        priceTiers: [{ minQuantity: 10, unitPriceCents: 11_000 }],
      },
    });
    expect(product.statusCode).toBe(201);
    productId = product.json().id;
    const warehouse = await api.call('admin', {
      method: 'POST',
      url: '/api/v1/warehouses',
      payload: { name: 'Shanghai DC', region: 'CN' },
    });
    expect(warehouse.statusCode).toBe(201);
    warehouseId = warehouse.json().id;
  });
  afterAll(async () => {
    await api.close();
  });

  it('shows a customer with its E.164 contact and counts, and lists it', async () => {
    const view = (await api.call('manager', { method: 'GET', url: `/api/v1/customers/${customerId}` })).json();
    expect(view).toMatchObject({
      id: customerId,
      grade: 'A',
      discountRate: 0.05,
      ownerId: 'u-sales-rep',
      contacts: [{ name: 'Zhang San', phone: '+8613800138000', isPrimary: true }],
    });
    // A sales manager reads no tickets: those counts are left out.
    expect(view.counts).toEqual({ openLeads: 0, openOpportunities: 0, quotes: 0, orders: 0 });
    expect(
      (await api.call('admin', { method: 'GET', url: `/api/v1/customers/${customerId}` })).json().counts,
    ).toMatchObject({ tickets: 0, openTickets: 0 });
    expect((await api.call('rep', { method: 'GET', url: '/api/v1/customers/C-NOPE' })).statusCode).toBe(404);
    const bad = await api.call('rep', {
      method: 'POST',
      url: '/api/v1/customers',
      payload: { grade: 'Z', discountRate: 2, contacts: [{ name: 'x', email: 'nope' }] },
    });
    expect(bad.statusCode).toBe(400);
    expect((bad.json().errors as { path: string }[]).map((e) => e.path)).toEqual(
      expect.arrayContaining(['/body/name', '/body/grade', '/body/discountRate', '/body/contacts/0/email']),
    );
  });

  it('submits a quote at version 1, priced in the answer (tier, customer discount); unknown references are a 422 naming each', async () => {
    const created = await api.call('rep', {
      method: 'POST',
      url: '/api/v1/quotes',
      payload: { customerId, lines: [{ productId, quantity: 12 }] },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      quote: {
        customerId,
        status: 'submitted',
        currentVersion: 1,
        ownerId: 'u-sales-rep',
        versions: [
          {
            version: 1,
            totalCents: 125_400,
            // 12 units reach the 110.00 tier; the customer's 5 % comes off.
            lines: [{ lineNo: 1, productId, quantity: 12, unitPriceCents: 11_000, discountCents: 6_600 }],
          },
        ],
      },
      triggerPending: false,
    });
    expect(created.json().quote.id).toMatch(/^Q-/);

    const unknown = await api.call('rep', {
      method: 'POST',
      url: '/api/v1/quotes',
      payload: {
        customerId: 'C-MISSING',
        lines: [
          { productId, quantity: 1 },
          { productId: 'PR-MISSING', quantity: 2 },
        ],
      },
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({
      type: 'https://crm-engine.dev/problems/unknown-reference',
      references: [
        { path: '/body/customerId', id: 'C-MISSING' },
        { path: '/body/lines/1/productId', id: 'PR-MISSING' },
      ],
    });

    const negative = await api.call('rep', {
      method: 'POST',
      url: '/api/v1/quotes',
      payload: {
        customerId,
        lines: [
          { productId, quantity: -3 },
          { productId, quantity: 0 },
        ],
      },
    });
    expect(negative.statusCode).toBe(400);
    expect((negative.json().errors as { path: string }[]).map((e) => e.path)).toEqual(
      expect.arrayContaining(['/body/lines/0/quantity', '/body/lines/1/quantity']),
    );
  });

  it("places an order at list prices less the customer's 5 %, refuses unknown products, and answers order events", async () => {
    const placed = await api.call('rep', {
      method: 'POST',
      url: '/api/v1/orders',
      payload: {
        customerId,
        lines: [
          { productId, quantity: 2 },
          { productId, quantity: 1, unitPriceCents: 10_000 },
        ],
      },
    });
    expect(placed.statusCode).toBe(201);
    const order = placed.json().order;
    expect(order).toMatchObject({
      status: 'confirmed',
      totalCents: 33_250,
      lines: [
        { unitPriceCents: 12_500, discountCents: 1_250, shippedQuantity: 0 },
        { unitPriceCents: 10_000, discountCents: 500 },
      ],
      reservations: [],
      shipmentNotes: [],
      purchaseRequests: [],
    });

    const unknown = await api.call('rep', {
      method: 'POST',
      url: '/api/v1/orders',
      payload: { customerId, lines: [{ productId: 'PR-NOPE', quantity: 1 }] },
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().references).toEqual([{ path: '/body/lines/0/productId', kind: 'product', id: 'PR-NOPE' }]);

    // Events into an order are the warehouse's (or an admin's, or a system's) to report.
    const noOrder = await api.call('admin', {
      method: 'POST',
      url: '/api/v1/orders/O-NOPE/events',
      payload: { event: 'stock.received' },
    });
    expect(noOrder.statusCode).toBe(404);
    expect(noOrder.json().type).toBe('https://crm-engine.dev/problems/order-not-found');
    // An order no process works on (written directly, so no order.placed: other test files publish
    // the built-in templates into the shared database, and those would start on a placed order).
    const idleOrder = `O-IDLE-${randomUUID().slice(0, 8)}`;
    await api.engine.orm.em
      .fork()
      .execute(`insert into orders (id, customer_id, status) values (?, ?, 'confirmed')`, [idleOrder, customerId]);
    // Nothing has shipped: there is nothing to deliver yet.
    const early = await api.call('admin', { method: 'POST', url: `/api/v1/orders/${idleOrder}/delivery-confirmation` });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({
      type: 'https://crm-engine.dev/problems/event-not-allowed',
      recordStatus: 'confirmed',
    });
    await api.engine.orm.em.fork().execute(`update orders set status = 'shipped' where id = ?`, [idleOrder]);
    const noProcess = await api.call('admin', {
      method: 'POST',
      url: `/api/v1/orders/${idleOrder}/delivery-confirmation`,
    });
    expect(noProcess.statusCode).toBe(409);
    expect(noProcess.json().type).toBe('https://crm-engine.dev/problems/no-running-process');

    const listed = (await api.call('rep', { method: 'GET', url: `/api/v1/orders?customerId=${customerId}` })).json();
    expect(listed.items.map((o: { id: string }) => o.id)).toContain(order.id);

    // A filter or field the API does not know is refused, never silently ignored.
    const unknownFilter = await api.call('rep', {
      method: 'GET',
      url: `/api/v1/orders?quoteId=Q-1&customerId=${customerId}`,
    });
    expect(unknownFilter.statusCode).toBe(400);
    expect(unknownFilter.json().errors).toEqual([
      { path: '/querystring/quoteId', message: "'quoteId' is not a known field here" },
    ]);
    const unknownField = await api.call('rep', {
      method: 'POST',
      url: '/api/v1/orders',
      payload: { customerId, lines: [{ productId, quantity: 1, colour: 'red' }] },
    });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json().errors).toEqual([
      { path: '/body/lines/0/colour', message: "'colour' is not a known field here" },
    ]);
  });

  it('receives a purchase request once: stock grows once, the second receipt is a 409', async () => {
    const order = (
      await api.call('rep', {
        method: 'POST',
        url: '/api/v1/orders',
        payload: { customerId, lines: [{ productId, quantity: 5 }] },
      })
    ).json().order;
    const requestId = `PQ-${randomUUID().slice(0, 8)}`;
    await api.engine.orm.em
      .fork()
      .execute(
        `insert into purchase_requests (id, idempotency_key, product_id, order_id, quantity, status) values (?, ?, ?, ?, 7, 'ordered')`,
        [requestId, requestId, productId, order.id],
      );
    const listed = (
      await api.call('admin', { method: 'GET', url: `/api/v1/purchase-requests?orderId=${order.id}&status=ordered` })
    ).json();
    expect(listed.items.map((p: { id: string }) => p.id)).toEqual([requestId]);

    const first = await api.call('admin', {
      method: 'POST',
      url: `/api/v1/purchase-requests/${requestId}/receive`,
      payload: { warehouseId },
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      purchaseRequest: { id: requestId, status: 'received' },
      stock: { productId, warehouseId, onHand: 7 },
      processNotified: false,
    });
    const second = await api.call('admin', {
      method: 'POST',
      url: `/api/v1/purchase-requests/${requestId}/receive`,
      payload: { warehouseId, quantity: 3 },
    });
    expect(second.statusCode).toBe(409);
    const stock = (await api.call('rep', { method: 'GET', url: `/api/v1/stock?productId=${productId}` })).json().items;
    expect(stock).toEqual([expect.objectContaining({ warehouseId, onHand: 7, reserved: 0, available: 7 })]);
    const shown = (await api.call('rep', { method: 'GET', url: `/api/v1/orders/${order.id}` })).json();
    expect(shown.purchaseRequests).toEqual([expect.objectContaining({ id: requestId, status: 'received' })]);
  });

  it('sets stock (admin only) and refuses going below what is reserved', async () => {
    expect(
      (
        await api.call('rep', {
          method: 'PUT',
          url: `/api/v1/stock/${productId}/${warehouseId}`,
          payload: { onHand: 50 },
        })
      ).statusCode,
    ).toBe(403);
    const set = await api.call('admin', {
      method: 'PUT',
      url: `/api/v1/stock/${productId}/${warehouseId}`,
      payload: { onHand: 50 },
    });
    expect(set.json()).toMatchObject({ onHand: 50 });
    await api.engine.orm.em
      .fork()
      .execute('update stock set reserved = 20 where product_id = ? and warehouse_id = ?', [productId, warehouseId]);
    const below = await api.call('admin', {
      method: 'PUT',
      url: `/api/v1/stock/${productId}/${warehouseId}`,
      payload: { onHand: 10 },
    });
    expect(below.statusCode).toBe(409);
    expect(below.json().reserved).toBe(20);
    const product = (await api.call('rep', { method: 'GET', url: `/api/v1/products/${productId}` })).json();
    expect(product).toMatchObject({
      priceTiers: [{ minQuantity: 10, unitPriceCents: 11_000 }],
      stock: [{ warehouseId, onHand: 50, reserved: 20 }],
    });
  });

  it('moves an opportunity through stages with default probabilities', async () => {
    const created = await api.call('rep', {
      method: 'POST',
      url: '/api/v1/opportunities',
      payload: { customerId, name: 'Routers', amountCents: 500_000 },
    });
    expect(created.json()).toMatchObject({ stage: 'prospecting', probability: 10 });
    const moved = await api.call('rep', {
      method: 'PATCH',
      url: `/api/v1/opportunities/${created.json().id}/stage`,
      payload: { stage: 'negotiation' },
    });
    expect(moved.json()).toMatchObject({ stage: 'negotiation', probability: 75 });
  });

  it('creates a user with routing attributes and a working API key (admin only), then deactivates it', async () => {
    const payload = {
      name: 'Wang Fang',
      email: `wang.${randomUUID().slice(0, 6)}@crm.example`,
      roles: ['sales-rep'],
      region: 'CN-East',
      productLines: ['hardware'],
      capacity: 15,
      locale: 'zh-CN',
      managerId: 'u-sales-manager',
    };
    expect((await api.call('rep', { method: 'POST', url: '/api/v1/users', payload })).statusCode).toBe(403);
    const created = await api.call('admin', { method: 'POST', url: '/api/v1/users', payload });
    expect(created.statusCode).toBe(201);
    const { user, apiKey } = created.json() as { user: { id: string }; apiKey: string };
    expect(user).toMatchObject({
      region: 'CN-East',
      productLines: ['hardware'],
      capacity: 15,
      active: true,
      managerId: 'u-sales-manager',
    });
    const asNew = await api.app.inject({
      method: 'GET',
      url: `/api/v1/users?role=sales-rep&region=CN-East`,
      headers: { 'x-api-key': apiKey },
    });
    expect(asNew.statusCode).toBe(200);
    expect(asNew.json().items.map((u: { id: string }) => u.id)).toContain(user.id);
    const patched = await api.call('admin', {
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      payload: { active: false, skills: ['mandarin'] },
    });
    expect(patched.json()).toMatchObject({
      active: false,
      skills: ['mandarin'],
      region: 'CN-East',
      roles: ['sales-rep'],
    });
    expect(
      (await api.app.inject({ method: 'GET', url: '/api/v1/users', headers: { 'x-api-key': apiKey } })).statusCode,
    ).toBe(401);
  });
});
