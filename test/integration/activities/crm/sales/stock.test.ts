import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  insertCustomer,
  insertOrder,
  insertProduct,
  insertWarehouse,
  openSalesFixture,
  setStock,
  stockOf,
  uid,
  type SalesFixture,
} from './sales-fixtures';

/** Stock reservation, shipment notes, purchase requests and order status on the real database. */
describe('CRM stock and order activities', () => {
  let f: SalesFixture;
  beforeAll(async () => {
    f = await openSalesFixture();
  });
  afterAll(async () => {
    await f.close();
  });

  const reservations = async (orderId: string) =>
    await f.sql<{ warehouse_id: string; quantity: number; status: string }>(
      `select r.warehouse_id, r.quantity, r.status from stock_reservations r join order_lines l on l.id = r.order_line_id
     where l.order_id = ? order by r.status, r.warehouse_id`,
      [orderId],
    );
  const orderStatus = async (orderId: string) =>
    (await f.sql<{ status: string }>('select status from orders where id = ?', [orderId]))[0]?.status;

  it('reserves from the fullest warehouse first, and a repeated call reserves nothing more', async () => {
    const customerId = await insertCustomer(f);
    const product = await insertProduct(f, 1_000);
    const small = await insertWarehouse(f, 'Small');
    const large = await insertWarehouse(f, 'Large');
    await setStock(f, product, small, 3);
    await setStock(f, product, large, 5);
    const orderId = await insertOrder(f, customerId, [{ productId: product, quantity: 6 }]);

    expect(await f.run('crm.checkStock', { orderId })).toEqual({
      lines: [
        {
          lineNo: 1,
          productId: product,
          sku: `SKU-${product}`,
          name: `Product ${product}`,
          quantity: 6,
          reservedQuantity: 0,
          available: 8,
          shortBy: 0,
        },
      ],
      allAvailable: true,
      shortLines: 0,
    });
    const first = await f.run('crm.reserveStock', { orderId });
    expect(first).toEqual({
      lines: [{ lineNo: 1, productId: product, quantity: 6, reservedQuantity: 6, shortBy: 0 }],
      complete: true,
      reservedNow: 6,
    });
    expect(await f.run('crm.reserveStock', { orderId })).toEqual({ ...first, reservedNow: 0 });
    expect(await stockOf(f, product, large)).toEqual({ onHand: 5, reserved: 5 });
    expect(await stockOf(f, product, small)).toEqual({ onHand: 3, reserved: 1 });
    expect(await orderStatus(orderId)).toBe('confirmed');
    expect(await f.run('crm.checkStock', { orderId })).toMatchObject({
      lines: [{ reservedQuantity: 6, available: 2, shortBy: 0 }],
      allAvailable: true,
    });
  });

  it('lets only one of several orders racing for the last units have them', async () => {
    const customerId = await insertCustomer(f);
    const product = await insertProduct(f, 1_000);
    const warehouse = await insertWarehouse(f);
    await setStock(f, product, warehouse, 5);
    const orders = await Promise.all(
      [1, 2, 3].map(() => insertOrder(f, customerId, [{ productId: product, quantity: 5 }])),
    );

    const results = await Promise.all(orders.map((orderId) => f.run('crm.reserveStock', { orderId })));
    expect(results.filter((r) => r.complete)).toHaveLength(1);
    expect(results.reduce((sum, r) => sum + r.reservedNow, 0)).toBe(5);
    expect(await stockOf(f, product, warehouse)).toEqual({ onHand: 5, reserved: 5 });
    const statuses = await Promise.all(orders.map(orderStatus));
    expect(statuses.sort()).toEqual(['awaiting-stock', 'awaiting-stock', 'confirmed']);
  });

  it('waits for stock, requests it from the supplier once, reserves what arrives and ships it once', async () => {
    const productLine = uid('line');
    const customerId = await insertCustomer(f);
    const product = await insertProduct(f, 2_000, { productLine });
    const warehouse = await insertWarehouse(f, 'Shanghai');
    await setStock(f, product, warehouse, 4);
    const supplier = `sup-a-${uid('s')}`;
    await f.sql(
      'insert into suppliers (id, name, email, product_lines) values (?, ?, ?, array[?]), (?, ?, null, array[?])',
      [supplier, 'First Parts', 'parts@example.test', productLine, `sup-b-${uid('s')}`, 'Second Parts', productLine],
    );
    const orderId = await insertOrder(f, customerId, [{ productId: product, quantity: 10 }]);

    expect(await f.run('crm.checkStock', { orderId })).toMatchObject({
      lines: [{ available: 4, shortBy: 6 }],
      allAvailable: false,
      shortLines: 1,
    });
    expect(await f.run('crm.reserveStock', { orderId })).toMatchObject({
      lines: [{ reservedQuantity: 4, shortBy: 6 }],
      complete: false,
      reservedNow: 4,
    });
    expect(await orderStatus(orderId)).toBe('awaiting-stock');

    const requested = await f.run('crm.createPurchaseRequests', { orderId });
    expect(requested).toMatchObject({
      created: 1,
      requests: [
        {
          productId: product,
          sku: `SKU-${product}`,
          quantity: 6,
          supplier: { id: supplier, name: 'First Parts', email: 'parts@example.test' },
        },
      ],
    });
    expect(await f.run('crm.createPurchaseRequests', { orderId })).toEqual({ ...requested, created: 0 });
    expect(
      await f.sql('select idempotency_key, supplier_id, quantity from purchase_requests where order_id = ?', [orderId]),
    ).toEqual([{ idempotency_key: `order:${orderId}:line:1:1`, supplier_id: supplier, quantity: 6 }]);

    // The goods arrive: the open reservation is topped up, the order is complete again.
    await setStock(f, product, warehouse, 10);
    expect(await f.run('crm.reserveStock', { orderId })).toMatchObject({ complete: true, reservedNow: 6 });
    expect(await orderStatus(orderId)).toBe('confirmed');
    expect(await reservations(orderId)).toEqual([{ warehouse_id: warehouse, quantity: 10, status: 'reserved' }]);
    expect(await f.run('crm.createPurchaseRequests', { orderId })).toEqual({ requests: [], created: 0 });

    const key = uid('ship');
    const shipped = await f.run('crm.createShipmentNote', { orderId, key });
    expect(shipped).toEqual({
      notes: [
        {
          id: expect.any(String),
          warehouseId: warehouse,
          warehouseName: 'Shanghai',
          warehouseEmail: `${warehouse}@example.test`,
          lines: [{ lineNo: 1, productId: product, sku: `SKU-${product}`, name: `Product ${product}`, quantity: 10 }],
        },
      ],
      orderStatus: 'shipped',
      fullyShipped: true,
    });
    expect(await f.run('crm.createShipmentNote', { orderId, key })).toEqual(shipped);
    expect(await f.sql('select idempotency_key from shipment_notes where order_id = ?', [orderId])).toEqual([
      { idempotency_key: `${key}:${warehouse}` },
    ]);
    expect(await stockOf(f, product, warehouse)).toEqual({ onHand: 0, reserved: 0 });
    expect(await reservations(orderId)).toEqual([{ warehouse_id: warehouse, quantity: 10, status: 'shipped' }]);
    expect(await f.sql('select shipped_quantity from order_lines where order_id = ?', [orderId])).toEqual([
      { shipped_quantity: 10 },
    ]);
  });

  it('ships in rounds: part now, the rest from stock that arrives later at the same warehouse', async () => {
    const customerId = await insertCustomer(f);
    const product = await insertProduct(f, 500);
    const warehouse = await insertWarehouse(f);
    await setStock(f, product, warehouse, 4);
    const orderId = await insertOrder(f, customerId, [{ productId: product, quantity: 6 }]);

    expect(await f.run('crm.createShipmentNote', { orderId, key: uid('none') })).toEqual({
      notes: [],
      orderStatus: 'confirmed',
      fullyShipped: false,
    });
    await f.run('crm.reserveStock', { orderId });
    expect(await f.run('crm.createShipmentNote', { orderId, key: uid('ship') })).toMatchObject({
      orderStatus: 'partially-shipped',
      fullyShipped: false,
    });
    await setStock(f, product, warehouse, 2);
    expect(await f.run('crm.reserveStock', { orderId })).toMatchObject({
      complete: true,
      reservedNow: 2,
      lines: [{ reservedQuantity: 6, shortBy: 0 }],
    });
    expect(await orderStatus(orderId)).toBe('partially-shipped');
    const rest = await f.run('crm.createShipmentNote', { orderId, key: uid('ship') });
    expect(rest).toMatchObject({ orderStatus: 'shipped', fullyShipped: true, notes: [{ lines: [{ quantity: 2 }] }] });
    expect(await reservations(orderId)).toEqual([
      { warehouse_id: warehouse, quantity: 4, status: 'shipped' },
      { warehouse_id: warehouse, quantity: 2, status: 'shipped' },
    ]);
    // The fulfilment figures kept on the order for the reports agree with its lines and notes.
    expect(
      await f.sql(
        `select o.ordered_quantity, o.shipped_quantity, o.shipment_count,
                o.first_shipped_at = (select min(created_at) from shipment_notes where order_id = o.id) as first_matches
           from orders o where o.id = ?`,
        [orderId],
      ),
    ).toEqual([{ ordered_quantity: 6, shipped_quantity: 6, shipment_count: 2, first_matches: true }]);
  });

  it('raises order.delivered and counts the purchase once; delivered is final', async () => {
    const customerId = await insertCustomer(f, { purchased_volume: 7 });
    const product = await insertProduct(f, 500);
    const orderId = await insertOrder(f, customerId, [
      { productId: product, quantity: 3 },
      { productId: product, quantity: 2 },
    ]);

    expect(await f.run('crm.setOrderStatus', { orderId, status: 'delivered' })).toEqual({
      orderId,
      status: 'delivered',
      changed: true,
    });
    expect(await f.run('crm.setOrderStatus', { orderId, status: 'delivered' })).toEqual({
      orderId,
      status: 'delivered',
      changed: false,
    });
    expect(
      await f.sql(`select payload from process_event where event = 'order.delivered' and dedupe_key = ?`, [orderId]),
    ).toEqual([{ payload: { orderId, customerId, triggerRef: `order:${orderId}` } }]);
    expect(await f.sql('select purchased_volume from customers where id = ?', [customerId])).toEqual([
      { purchased_volume: 12 },
    ]);
    await expect(f.run('crm.setOrderStatus', { orderId, status: 'confirmed' })).rejects.toMatchObject({
      type: 'order.invalid-transition',
      nonRetryable: true,
    });
  });

  it('releases the stock of a cancelled order', async () => {
    const customerId = await insertCustomer(f);
    const product = await insertProduct(f, 500);
    const warehouse = await insertWarehouse(f);
    await setStock(f, product, warehouse, 5);
    const orderId = await insertOrder(f, customerId, [{ productId: product, quantity: 3 }]);
    await f.run('crm.reserveStock', { orderId });
    expect(await f.run('crm.setOrderStatus', { orderId, status: 'cancelled' })).toMatchObject({ changed: true });
    expect(await stockOf(f, product, warehouse)).toEqual({ onHand: 5, reserved: 0 });
    expect(await reservations(orderId)).toEqual([{ warehouse_id: warehouse, quantity: 3, status: 'released' }]);
  });

  it('refuses an unknown order without retrying', async () => {
    const orderId = uid('nope');
    const calls = [
      () => f.run('crm.checkStock', { orderId }),
      () => f.run('crm.reserveStock', { orderId }),
      () => f.run('crm.createShipmentNote', { orderId, key: 'k' }),
      () => f.run('crm.createPurchaseRequests', { orderId }),
      () => f.run('crm.setOrderStatus', { orderId, status: 'shipped' }),
    ];
    for (const call of calls) await expect(call()).rejects.toMatchObject({ type: 'order.unknown', nonRetryable: true });
  });
});
