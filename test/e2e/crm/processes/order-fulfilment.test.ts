import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { recordHistory } from '../../../workflow/support/history-recorder';
import { startCrmHarness, type CrmHarness } from '../../../support/crm-harness';
import { waitForMail } from '../../../support/mailbox';
import {
  ADMIN_KEY,
  complete,
  createCustomer,
  createProduct,
  createSupplier,
  createUser,
  createWarehouse,
  json,
  until,
  type TestUser,
} from './crm-fixtures';
import {
  getInstance,
  getOrder,
  instancesFor,
  postOrder,
  waitForInbox,
  waitForStatus,
  waitForStepStarted,
  type OrderView,
} from './sales-process-fixtures';

/**
 * The built-in order-fulfilment template, started by POST /orders as a rep (for the rep's own
 * customers), on the real servers; the warehouse reports what happens to the goods.
 */
describe('order fulfilment (built-in template, through the API)', () => {
  let h: CrmHarness;
  let rep: TestUser;
  let warehouseClerk: TestUser;
  beforeAll(async () => {
    h = await startCrmHarness();
    rep = await createUser(h, { roles: ['sales-rep'] });
    warehouseClerk = await createUser(h, { roles: ['warehouse'] });
  });
  afterAll(async () => {
    await h.close();
  });

  const stockOf = async (productId: string, warehouseId: string) => {
    const [row] = await h.sql<{ on_hand: number; reserved: number }>(
      'select on_hand, reserved from stock where product_id = ? and warehouse_id = ?',
      [productId, warehouseId],
    );
    return { onHand: Number(row!.on_hand), reserved: Number(row!.reserved) };
  };
  const waitForOrderStatus = (orderId: string, status: string) =>
    until(async () => {
      const order = await getOrder(h, orderId);
      expect(order.status).toBe(status);
      return order;
    });
  const shippedPerLine = (order: OrderView) => order.lines.map((l) => [l.lineNo, l.shippedQuantity]);

  it('reserves and ships an order in stock, tells the warehouse and the customer, and starts the survey once delivered', async () => {
    const warehouse = await createWarehouse(h);
    const customer = await createCustomer(h, { ownerId: rep.id });
    const a = await createProduct(h, { listPriceCents: 1_500, stock: [{ warehouseId: warehouse.id, onHand: 10 }] });
    const b = await createProduct(h, { listPriceCents: 700, stock: [{ warehouseId: warehouse.id, onHand: 4 }] });

    const { order, instanceId } = await postOrder(h, rep.apiKey, {
      customerId: customer.id,
      lines: [
        { productId: a.id, quantity: 3 },
        { productId: b.id, quantity: 4 },
      ],
    });
    expect(order).toMatchObject({ status: 'confirmed', ownerId: rep.id, totalCents: 3 * 1_500 + 4 * 700 });

    const shipped = await waitForOrderStatus(order.id, 'shipped');
    expect(shippedPerLine(shipped)).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(shipped.reservations.map((r) => [r.productId, r.warehouseId, r.quantity, r.status]).sort()).toEqual(
      [
        [a.id, warehouse.id, 3, 'shipped'],
        [b.id, warehouse.id, 4, 'shipped'],
      ].sort(),
    );
    expect(shipped.shipmentNotes).toHaveLength(1);
    expect(shipped.shipmentNotes[0]!.lines.map((l) => [l.productId, l.quantity])).toEqual([
      [a.id, 3],
      [b.id, 4],
    ]);
    expect(shipped.purchaseRequests).toEqual([]);
    expect(await stockOf(a.id, warehouse.id)).toEqual({ onHand: 7, reserved: 0 });
    expect(await stockOf(b.id, warehouse.id)).toEqual({ onHand: 0, reserved: 0 });

    const noteId = shipped.shipmentNotes[0]!.id;
    await waitForMail(
      (m) => m.to.includes(warehouse.email) && m.subject.includes(noteId) && m.subject.includes(order.id),
    );
    await waitForMail((m) => m.to.includes(customer.email) && m.subject === `Order ${order.id} confirmed`);

    json(
      await h.call(warehouseClerk.apiKey, { method: 'POST', url: `/api/v1/orders/${order.id}/delivery-confirmation` }),
      202,
    );
    await waitForOrderStatus(order.id, 'delivered');
    await waitForStatus(h, instanceId, 'completed');
    await recordHistory(h.client.workflow.getHandle(instanceId), 'builtin-order-fulfilment');
    await until(async () => expect(await instancesFor(h, 'survey-reminders', `order:${order.id}`)).toHaveLength(1));
  });

  it("reserves what there is, buys the rest, ships part on the rep's word and the rest when the goods arrive", async () => {
    const warehouse = await createWarehouse(h);
    const customer = await createCustomer(h, { ownerId: rep.id });
    const enough = await createProduct(h, {
      listPriceCents: 1_000,
      stock: [{ warehouseId: warehouse.id, onHand: 10 }],
    });
    const productLine = `line-short-${warehouse.id}`;
    const short = await createProduct(h, {
      listPriceCents: 2_000,
      productLine,
      stock: [{ warehouseId: warehouse.id, onHand: 3 }],
    });
    const supplier = await createSupplier(h, productLine);

    const { order, instanceId } = await postOrder(h, rep.apiKey, {
      customerId: customer.id,
      lines: [
        { productId: enough.id, quantity: 4 },
        { productId: short.id, quantity: 8 },
      ],
    });
    const [task] = await waitForInbox(h, rep, instanceId);
    expect(task).toMatchObject({ assignee: rep.id, outcomes: ['shipAvailableNow', 'waitForAll'] });
    expect(task!.title).toContain(order.id);

    const waiting = await getOrder(h, order.id);
    expect(waiting).toMatchObject({ status: 'awaiting-stock', ownerId: rep.id });
    expect(waiting.reservations.map((r) => [r.productId, r.quantity, r.status]).sort()).toEqual(
      [
        [enough.id, 4, 'reserved'],
        [short.id, 3, 'reserved'],
      ].sort(),
    );
    expect(waiting.purchaseRequests.map((p) => [p.productId, p.quantity, p.supplierId, p.status])).toEqual([
      [short.id, 5, supplier.id, 'requested'],
    ]);
    expect(await stockOf(short.id, warehouse.id)).toEqual({ onHand: 3, reserved: 3 });
    const request = waiting.purchaseRequests[0]!;
    await waitForMail((m) => m.to.includes(supplier.email) && m.subject.includes(request.id));

    json(await complete(h, rep.apiKey, task!.id, 'shipAvailableNow', { note: 'customer agreed' }), 200);
    const partial = await waitForOrderStatus(order.id, 'partially-shipped');
    expect(shippedPerLine(partial)).toEqual([
      [1, 4],
      [2, 3],
    ]);
    expect(partial.shipmentNotes).toHaveLength(1);
    await waitForMail((m) => m.to.includes(warehouse.email) && m.subject.includes(partial.shipmentNotes[0]!.id));

    const received = json<{ processNotified: boolean }>(
      await h.call(ADMIN_KEY, {
        method: 'POST',
        url: `/api/v1/purchase-requests/${request.id}/receive`,
        payload: { warehouseId: warehouse.id },
      }),
      200,
    );
    expect(received.processNotified).toBe(true);
    const done = await waitForOrderStatus(order.id, 'shipped');
    expect(shippedPerLine(done)).toEqual([
      [1, 4],
      [2, 8],
    ]);
    expect(done.shipmentNotes).toHaveLength(2);
    const finalNote = done.shipmentNotes.find((n) => n.id !== partial.shipmentNotes[0]!.id)!;
    expect(finalNote.lines.map((l) => [l.productId, l.quantity])).toEqual([[short.id, 5]]);
    expect(done.purchaseRequests.map((p) => p.status)).toEqual(['received']);
    expect(await stockOf(enough.id, warehouse.id)).toEqual({ onHand: 6, reserved: 0 });
    expect(await stockOf(short.id, warehouse.id)).toEqual({ onHand: 0, reserved: 0 });
    await waitForMail((m) => m.to.includes(warehouse.email) && m.subject.includes(finalNote.id));
  });

  it('gives the last units to exactly one of two orders racing for them, never reserving more than there is', async () => {
    const warehouse = await createWarehouse(h);
    const productLine = `line-race-${warehouse.id}`;
    const product = await createProduct(h, {
      listPriceCents: 5_000,
      productLine,
      stock: [{ warehouseId: warehouse.id, onHand: 5 }],
    });
    await createSupplier(h, productLine);
    const [first, second] = await Promise.all([
      createCustomer(h, { ownerId: rep.id }),
      createCustomer(h, { ownerId: rep.id }),
    ]);

    let sampling = true;
    const samples: { onHand: number; reserved: number }[] = [];
    const sampler = (async () => {
      while (sampling) {
        samples.push(await stockOf(product.id, warehouse.id));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const placed = await Promise.all(
      [first!, second!].map((customer) =>
        postOrder(h, rep.apiKey, { customerId: customer.id, lines: [{ productId: product.id, quantity: 5 }] }),
      ),
    );
    const settled = await until(async () => {
      const orders = await Promise.all(placed.map(({ order }) => getOrder(h, order.id)));
      expect(orders.map((o) => o.status).sort()).toEqual(['awaiting-stock', 'shipped']);
      expect(orders.find((o) => o.status === 'awaiting-stock')!.purchaseRequests).toHaveLength(1);
      return orders;
    });
    sampling = false;
    await sampler;

    const winner = settled.find((o) => o.status === 'shipped')!;
    const loser = settled.find((o) => o.status === 'awaiting-stock')!;
    expect(shippedPerLine(winner)).toEqual([[1, 5]]);
    expect(loser.reservations).toEqual([]);
    expect(loser.purchaseRequests.map((p) => [p.productId, p.quantity, p.status])).toEqual([
      [product.id, 5, 'requested'],
    ]);
    expect(samples.length).toBeGreaterThan(0);
    expect(samples.filter((s) => s.reserved > s.onHand)).toEqual([]);
    expect(await stockOf(product.id, warehouse.id)).toEqual({ onHand: 0, reserved: 0 });
    // Nothing reserved means nothing to agree with the rep: the loser's process waits for the goods.
    const loserInstance = placed.find(({ order }) => order.id === loser.id)!.instanceId;
    await waitForStepStarted(h, loserInstance, 'stockArrived');
    expect((await getInstance(h, loserInstance)).status).toBe('running');
  });

  it('refuses an unknown product (422, no order), a negative quantity (400) and an event for an unknown order (404)', async () => {
    const customer = await createCustomer(h, { ownerId: rep.id });
    const warehouse = await createWarehouse(h);
    const product = await createProduct(h, { listPriceCents: 100, stock: [{ warehouseId: warehouse.id, onHand: 1 }] });
    const unknown = await h.call(rep.apiKey, {
      method: 'POST',
      url: '/api/v1/orders',
      payload: { customerId: customer.id, lines: [{ productId: 'P-nope', quantity: 1 }] },
    });
    expect(unknown.statusCode).toBe(422);
    const negative = await h.call(rep.apiKey, {
      method: 'POST',
      url: '/api/v1/orders',
      payload: { customerId: customer.id, lines: [{ productId: product.id, quantity: -1 }] },
    });
    expect(negative.statusCode).toBe(400);
    expect(await h.sql('select id from orders where customer_id = ?', [customer.id])).toEqual([]);

    const event = await h.call(warehouseClerk.apiKey, {
      method: 'POST',
      url: '/api/v1/orders/O-nope/events',
      payload: { event: 'stock.received' },
    });
    expect(event.statusCode).toBe(404);
    expect(event.headers['content-type']).toContain('application/problem+json');
    expect(event.json()).toMatchObject({ status: 404 });
  });
});
