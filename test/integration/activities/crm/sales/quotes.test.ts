import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  insertCustomer,
  insertProduct,
  insertQuote,
  insertUser,
  openSalesFixture,
  uid,
  type SalesFixture,
} from './sales-fixtures';

/** Quote pricing, status, revision and conversion into an order on the real database. */
describe('CRM quote activities', () => {
  let f: SalesFixture;
  beforeAll(async () => {
    f = await openSalesFixture();
  });
  afterAll(async () => {
    await f.close();
  });

  const numbers = (row: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));

  it("submits the owner's draft of the next version, the form's discount written over it, once", async () => {
    const owner = await insertUser(f, ['sales-rep'], {});
    const customerId = await insertCustomer(f, { discount_rate: 0, grade: 'B' });
    const product = await insertProduct(f, 10_000, {});
    const other = await insertProduct(f, 2_000, {});
    const quoteId = await insertQuote(f, customerId, [{ productId: product, quantity: 1 }], {
      ownerId: owner,
      status: 'changes-requested',
    });
    // The draft PUT /quotes/:id/versions/2 writes: version 2 beside the current version 1.
    const draftId = uid('qv');
    await f.sql(
      'insert into quote_versions (id, quote_id, version, total_cents, requested_discount_percent) values (?, ?, 2, 0, 3)',
      [draftId, quoteId],
    );
    await f.sql(
      'insert into quote_lines (id, quote_version_id, line_no, product_id, quantity, unit_price_cents, line_total_cents) values (?, ?, 1, ?, 4, 0, 0)',
      [uid('ql'), draftId, other],
    );
    const revise = {
      quoteId,
      fromVersion: 1,
      changeReason: 'other product',
      requestedDiscountPercent: 7,
      actorId: owner,
    };
    expect(await f.run('crm.reviseQuote', revise)).toEqual({ quoteId, version: 2 });
    expect(await f.run('crm.reviseQuote', { ...revise, requestedDiscountPercent: null })).toEqual({
      quoteId,
      version: 2,
    });
    expect(await f.sql('select status, current_version from quotes where id = ?', [quoteId])).toEqual([
      { status: 'submitted', current_version: 2 },
    ]);
    const versions = await f.sql<{ version: number; change_reason: string; requested_discount_percent: string }>(
      'select version, change_reason, requested_discount_percent from quote_versions where quote_id = ? order by version',
      [quoteId],
    );
    expect(versions.map((v) => [v.version, v.change_reason, Number(v.requested_discount_percent)])).toEqual([
      [1, null, 0],
      [2, 'other product', 7],
    ]);
    const lines = await f.sql<{ product_id: string; quantity: number }>(
      `select l.product_id, l.quantity from quote_lines l join quote_versions v on v.id = l.quote_version_id
        where v.quote_id = ? and v.version = 2`,
      [quoteId],
    );
    expect(lines).toEqual([{ product_id: other, quantity: 4 }]);
  });

  it('prices a version with tiers, customer and requested discount, writes it back, revises it once and converts it once', async () => {
    const owner = await insertUser(f, ['sales-rep'], {});
    const customerId = await insertCustomer(f, { discount_rate: 0.05, grade: 'A' });
    const tiered = await insertProduct(f, 10_000, {
      tiers: [
        [10, 9_000],
        [50, 8_000],
      ],
    });
    const plain = await insertProduct(f, 5_000);
    const quoteId = await insertQuote(
      f,
      customerId,
      [
        { productId: tiered, quantity: 20 },
        { productId: plain, quantity: 3 },
      ],
      {
        ownerId: owner,
        requestedDiscountPercent: 2.5,
      },
    );

    const priced = await f.run('crm.priceQuoteVersion', { quoteId, version: 1 });
    // 20 × 90.00 (tier 10) and 3 × 50.00, each less 5 % + 2.5 %: 1665.00 + 138.75 of 2150.00 list.
    expect(priced).toMatchObject({
      quoteId,
      version: 1,
      status: 'draft',
      customer: { id: customerId, grade: 'A', locale: 'en', email: `${customerId}@example.test` },
      owner: { id: owner, email: `${owner}@example.test` },
      lines: [
        { lineNo: 1, productId: tiered, quantity: 20, unitPriceCents: 9_000, lineTotalCents: 166_500 },
        { lineNo: 2, productId: plain, quantity: 3, unitPriceCents: 5_000, lineTotalCents: 13_875 },
      ],
      listTotalCents: 215_000,
      totalCents: 180_375,
      discountPercent: 16.1,
      requestedDiscountPercent: 2.5,
    });
    expect(await f.run('crm.priceQuoteVersion', { quoteId, version: 1 })).toEqual(priced);
    const [version] = await f.sql<Record<string, unknown>>(
      `select list_total_cents, total_cents, discount_percent from quote_versions where quote_id = ? and version = 1`,
      [quoteId],
    );
    expect(numbers(version!)).toEqual({ list_total_cents: 215_000, total_cents: 180_375, discount_percent: 16.1 });
    const lines = await f.sql<Record<string, unknown>>(
      `select l.list_price_cents, l.unit_price_cents, l.discount_cents, l.line_total_cents from quote_lines l
       join quote_versions v on v.id = l.quote_version_id where v.quote_id = ? order by l.line_no`,
      [quoteId],
    );
    expect(lines.map(numbers)).toEqual([
      { list_price_cents: 10_000, unit_price_cents: 9_000, discount_cents: 13_500, line_total_cents: 166_500 },
      { list_price_cents: 5_000, unit_price_cents: 5_000, discount_cents: 1_125, line_total_cents: 13_875 },
    ]);

    const revise = {
      quoteId,
      fromVersion: 1,
      lines: [{ productId: tiered, quantity: 60 }],
      changeReason: 'More seats',
      actorId: owner,
    };
    expect(await f.run('crm.reviseQuote', revise)).toEqual({ quoteId, version: 2 });
    expect(await f.run('crm.reviseQuote', revise)).toEqual({ quoteId, version: 2 });
    expect(
      await f.sql('select version, change_reason, created_by from quote_versions where quote_id = ? order by version', [
        quoteId,
      ]),
    ).toEqual([
      { version: 1, change_reason: null, created_by: null },
      { version: 2, change_reason: 'More seats', created_by: owner },
    ]);
    expect(await f.sql('select status, current_version from quotes where id = ?', [quoteId])).toEqual([
      { status: 'submitted', current_version: 2 },
    ]);
    const v2 = await f.run('crm.priceQuoteVersion', { quoteId, version: 2 });
    expect(v2).toMatchObject({
      lines: [{ unitPriceCents: 8_000, lineTotalCents: 444_000 }],
      totalCents: 444_000,
      status: 'submitted',
    });

    expect(await f.run('crm.setQuoteStatus', { quoteId, status: 'approved', actorId: owner })).toEqual({
      quoteId,
      status: 'approved',
      version: 2,
    });
    expect(await f.run('crm.setQuoteStatus', { quoteId, status: 'approved' })).toEqual({
      quoteId,
      status: 'approved',
      version: 2,
    });

    const order = await f.run('crm.createOrderFromQuote', { quoteId, actorId: owner });
    expect(order.created).toBe(true);
    expect(await f.run('crm.createOrderFromQuote', { quoteId })).toEqual({ orderId: order.orderId, created: false });
    const [orderRow] = await f.sql<Record<string, unknown>>(
      'select customer_id, owner_id, status, total_cents from orders where quote_id = ?',
      [quoteId],
    );
    expect({ ...orderRow, total_cents: Number(orderRow!['total_cents']) }).toEqual({
      customer_id: customerId,
      owner_id: owner,
      status: 'confirmed',
      total_cents: 444_000,
    });
    const orderLines = await f.sql<Record<string, unknown>>(
      'select line_no, product_id, quantity, unit_price_cents from order_lines where order_id = ?',
      [order.orderId],
    );
    expect(orderLines.map((l) => ({ ...l, unit_price_cents: Number(l['unit_price_cents']) }))).toEqual([
      { line_no: 1, product_id: tiered, quantity: 60, unit_price_cents: 8_000 },
    ]);
    expect(
      await f.sql(`select payload from process_event where event = 'order.placed' and dedupe_key = ?`, [order.orderId]),
    ).toEqual([{ payload: { orderId: order.orderId } }]);
    expect(await f.sql('select status from quotes where id = ?', [quoteId])).toEqual([{ status: 'accepted' }]);
    await expect(f.run('crm.setQuoteStatus', { quoteId, status: 'rejected' })).rejects.toMatchObject({
      type: 'quote.invalid-transition',
      nonRetryable: true,
    });

    const loaded = await f.run('crm.loadOrder', { orderId: order.orderId });
    expect(loaded).toMatchObject({
      order: { id: order.orderId, status: 'confirmed', totalCents: 444_000, quoteId },
      customer: { id: customerId, locale: 'en', email: `${customerId}@example.test` },
      owner: { id: owner },
      lines: [{ lineNo: 1, productId: tiered, sku: `SKU-${tiered}`, quantity: 60, shippedQuantity: 0 }],
    });
  });

  it('refuses an unknown quote, version or product without retrying', async () => {
    const customerId = await insertCustomer(f);
    const retired = await insertProduct(f, 1_000, { active: false });
    const quoteId = await insertQuote(f, customerId, [{ productId: retired, quantity: 1 }]);
    await expect(f.run('crm.priceQuoteVersion', { quoteId, version: 1 })).rejects.toMatchObject({
      type: 'quote.product-unknown',
      nonRetryable: true,
    });
    await expect(f.run('crm.priceQuoteVersion', { quoteId, version: 7 })).rejects.toMatchObject({
      type: 'quote.unknown',
      nonRetryable: true,
    });
    await expect(f.run('crm.priceQuoteVersion', { quoteId: uid('nope'), version: 1 })).rejects.toMatchObject({
      type: 'quote.unknown',
      nonRetryable: true,
    });
    await expect(
      f.run('crm.reviseQuote', {
        quoteId,
        fromVersion: 1,
        lines: [{ productId: uid('nope'), quantity: 1 }],
        changeReason: 'x',
        actorId: 'u',
      }),
    ).rejects.toMatchObject({ type: 'quote.product-unknown', nonRetryable: true });
    await expect(f.run('crm.loadOrder', { orderId: uid('nope') })).rejects.toMatchObject({
      type: 'order.unknown',
      nonRetryable: true,
    });
  });
});
