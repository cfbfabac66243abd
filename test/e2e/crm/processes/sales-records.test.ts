import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startCrmHarness, type CrmHarness } from '../../../support/crm-harness';
import {
  ADMIN_KEY,
  complete,
  createCustomer,
  createProduct,
  createUser,
  createWarehouse,
  inbox,
  json,
  uniqueSuffix,
  until,
} from './crm-fixtures';
import {
  createSalesTeam,
  getOrder,
  getQuote,
  postOrder,
  postQuote,
  waitForInbox,
  waitForStatus,
  type QuoteView,
} from './sales-process-fixtures';

/**
 * What a sales team's records show after the processes ran: the amount a rep typed when
 * qualifying, prices in the answer to POST /quotes, the customer's discount on a direct order,
 * and a sent-back quote revised with new lines and discount (priced and approved again).
 */
describe('sales records (built-in templates, through the API)', () => {
  let h: CrmHarness;
  beforeAll(async () => {
    h = await startCrmHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('gives the opportunity of a qualified lead the amount the rep typed, not the lead estimate', async () => {
    const region = `r-${uniqueSuffix()}`;
    const rep = await createUser(h, { roles: ['sales-rep'], region, productLines: ['erp'], capacity: 10 });
    const created = json<{ lead: { id: string }; processes: { templateKey: string; instanceId: string }[] }>(
      await h.call(ADMIN_KEY, {
        method: 'POST',
        url: '/api/v1/leads',
        payload: {
          source: 'web',
          company: `Amount Co ${uniqueSuffix()}`,
          contactName: 'Ann',
          email: `ann-${uniqueSuffix()}@lead.test`,
          region,
          productInterest: 'erp',
          estimatedValueCents: 1_200_000,
        },
      }),
      201,
    );
    const instanceId = created.processes.find((p) => p.templateKey === 'lead-assignment')!.instanceId;
    const [task] = await waitForInbox(h, rep, instanceId);
    json(await complete(h, rep.apiKey, task!.id, 'qualified', { opportunityName: 'ERP', amountCents: 3_450_000 }), 200);

    const [opportunity] = await until(async () => {
      const rows = await h.sql<{ id: string }>('select id from opportunities where lead_id = ?', [created.lead.id]);
      expect(rows).toHaveLength(1);
      return rows;
    });
    const view = json<{ amountCents: number; name: string }>(
      await h.call(rep.apiKey, { method: 'GET', url: `/api/v1/opportunities/${opportunity!.id}` }),
      200,
    );
    expect(view).toMatchObject({ name: 'ERP', amountCents: 3_450_000 });
  });

  it('answers POST /quotes with the prices the process gives the quote (tiers and customer discount)', async () => {
    const team = await createSalesTeam(h);
    const warehouse = await createWarehouse(h);
    const customer = await createCustomer(h, { discountRate: 0.05, purchasedVolume: 6, ownerId: team.rep.id });
    const tiered = await createProduct(h, {
      listPriceCents: 10_000,
      tiers: [{ minQuantity: 10, unitPriceCents: 9_600 }],
      stock: [{ warehouseId: warehouse.id, onHand: 100 }],
    });
    const plain = await createProduct(h, {
      listPriceCents: 2_500,
      stock: [{ warehouseId: warehouse.id, onHand: 100 }],
    });
    const { quote, instanceId } = await postQuote(h, team.rep.apiKey, {
      customerId: customer.id,
      lines: [
        { productId: tiered.id, quantity: 5 },
        { productId: plain.id, quantity: 2 },
      ],
    });
    const answered = quote.versions[0]!;
    expect(answered.lines.map((l) => [l.unitPriceCents, l.discountCents, l.lineTotalCents])).toEqual([
      [9_600, 2_400, 45_600],
      [2_500, 250, 4_750],
    ]);
    expect([answered.listTotalCents, answered.totalCents, answered.discountPercent]).toEqual([55_000, 50_350, 8.45]);
    await waitForStatus(h, instanceId, 'completed');
    const processed = (await getQuote(h, quote.id)).versions[0]!;
    expect(processed.totalCents).toBe(answered.totalCents);
    expect(processed.lines).toEqual(answered.lines);
  });

  it("takes the customer's discount rate off a direct order, as a quote does", async () => {
    const team = await createSalesTeam(h);
    const warehouse = await createWarehouse(h);
    const customer = await createCustomer(h, { discountRate: 0.1, ownerId: team.rep.id });
    const product = await createProduct(h, {
      listPriceCents: 2_500,
      stock: [{ warehouseId: warehouse.id, onHand: 50 }],
    });
    const { order } = await postOrder(h, team.rep.apiKey, {
      customerId: customer.id,
      lines: [{ productId: product.id, quantity: 4 }],
    });
    expect(order.totalCents).toBe(9_000);
    const stored = await getOrder(h, order.id);
    expect(stored.totalCents).toBe(9_000);
    expect(stored.lines).toEqual([expect.objectContaining({ unitPriceCents: 2_500, discountCents: 1_000 })]);
  });

  /** A quote the manager must approve: 2 % customer + 10 % requested = 12 %, 10 units at 1 000.00. */
  async function sentBackQuote() {
    const team = await createSalesTeam(h);
    const warehouse = await createWarehouse(h);
    const customer = await createCustomer(h, { discountRate: 0.02, ownerId: team.rep.id });
    const product = await createProduct(h, {
      listPriceCents: 100_000,
      stock: [{ warehouseId: warehouse.id, onHand: 500 }],
    });
    const extra = await createProduct(h, {
      listPriceCents: 5_000,
      stock: [{ warehouseId: warehouse.id, onHand: 500 }],
    });
    const { quote, instanceId } = await postQuote(h, team.rep.apiKey, {
      customerId: customer.id,
      lines: [{ productId: product.id, quantity: 10 }],
      requestedDiscountPercent: 10,
    });
    const [first] = await waitForInbox(h, team.manager, instanceId);
    const early = await h.call(team.rep.apiKey, {
      method: 'PUT',
      url: `/api/v1/quotes/${quote.id}/versions/2`,
      payload: { lines: [{ productId: product.id, quantity: 1 }] },
    });
    expect(early.statusCode).toBe(409);
    expect(early.headers['content-type']).toContain('application/problem+json');
    json(await complete(h, team.manager.apiKey, first!.id, 'sendBack', { reason: 'too much discount' }), 200);
    const [revise] = await waitForInbox(h, team.rep, instanceId);
    await until(async () => expect((await getQuote(h, quote.id)).status).toBe('changes-requested'));
    return { team, quote, instanceId, product, extra, revise: revise! };
  }

  async function orderTotalOf(quoteId: string): Promise<number> {
    const [row] = await until(async () => {
      const rows = await h.sql<{ total_cents: string }>('select total_cents from orders where quote_id = ?', [quoteId]);
      expect(rows).toHaveLength(1);
      return rows;
    });
    return Number(row!.total_cents);
  }

  it('revises a sent-back quote through PUT /quotes/:id/versions/:n: the new lines are priced, and under the thresholds approved at once', async () => {
    const { team, quote, instanceId, product, extra, revise } = await sentBackQuote();
    const other = await createUser(h, { roles: ['sales-rep'] });
    const body = {
      lines: [
        { productId: product.id, quantity: 3 },
        { productId: extra.id, quantity: 2 },
      ],
      requestedDiscountPercent: 0,
    };
    const url = `/api/v1/quotes/${quote.id}/versions/2`;
    expect((await h.call(other.apiKey, { method: 'PUT', url, payload: body })).statusCode).toBe(404);
    const wrongVersion = await h.call(team.rep.apiKey, {
      method: 'PUT',
      url: `/api/v1/quotes/${quote.id}/versions/7`,
      payload: body,
    });
    expect(wrongVersion.statusCode).toBe(409);
    const unknown = await h.call(team.rep.apiKey, {
      method: 'PUT',
      url,
      payload: { lines: [{ productId: 'P-nope', quantity: 1 }] },
    });
    expect(unknown.statusCode).toBe(422);
    const moved = await h.call(team.rep.apiKey, {
      method: 'PUT',
      url,
      payload: { ...body, customerId: 'C-someone-else' },
    });
    expect(moved.statusCode).toBe(422);
    expect(moved.json()).toMatchObject({ type: 'https://crm-engine.dev/problems/quote-parties-fixed' });

    // Written twice: the second writing replaces the first's lines; the sent-back version's number names it too.
    const first = json<{ quote: QuoteView }>(
      await h.call(team.rep.apiKey, {
        method: 'PUT',
        url: `/api/v1/quotes/${quote.id}/versions/1`,
        payload: { lines: [{ productId: extra.id, quantity: 9 }], changeReason: 'first try' },
      }),
      200,
    );
    expect(first.quote.versions.map((v) => [v.version, v.lines.map((l) => l.quantity)])).toEqual([
      [1, [10]],
      [2, [9]],
    ]);
    const written = json<{ quote: QuoteView }>(
      await h.call(team.rep.apiKey, { method: 'PUT', url, payload: body }),
      200,
    );
    expect(written.quote).toMatchObject({ status: 'changes-requested', currentVersion: 1 });
    const draft = written.quote.versions.find((v) => v.version === 2)!;
    // 300 000 + 10 000 at list, 2 % off: 303 800.
    expect(draft.lines.map((l) => [l.productId, l.quantity, l.lineTotalCents])).toEqual([
      [product.id, 3, 294_000],
      [extra.id, 2, 9_800],
    ]);
    expect(draft.totalCents).toBe(303_800);
    const audited = await h.sql<{ subject: string }>(
      `select subject from audit_log where on_behalf_of = ? and subject like 'quote_versions:%'`,
      [`user:${team.rep.id}`],
    );
    expect(audited.length).toBeGreaterThan(0);

    json(
      await complete(h, team.rep.apiKey, revise.id, 'revised', { changeReason: 'fewer units, no extra discount' }),
      200,
    );
    await waitForStatus(h, instanceId, 'completed');
    const revised = await getQuote(h, quote.id);
    expect(revised).toMatchObject({ currentVersion: 2 });
    expect(revised.versions.map((v) => [v.version, v.changeReason, v.totalCents])).toEqual([
      [1, null, 880_000],
      [2, 'fewer units, no extra discount', 303_800],
    ]);
    expect(await orderTotalOf(quote.id)).toBe(303_800);
    expect(await inbox(h, team.manager.apiKey, instanceId)).toEqual([]);
    const late = await h.call(team.rep.apiKey, { method: 'PUT', url, payload: body });
    expect(late.statusCode).toBe(409);
  });

  it("revises a sent-back quote through the revise task's form: new lines and discount, approved again with the new total", async () => {
    const { team, quote, instanceId, product, revise } = await sentBackQuote();
    json(
      await complete(h, team.rep.apiKey, revise.id, 'revised', {
        changeReason: 'more units, a bit more discount',
        lines: [{ productId: product.id, quantity: 20 }],
        requestedDiscountPercent: 13,
      }),
      200,
    );
    // 20 × 1 000.00 less 15 %: 1 700 000.
    const [second] = await until(async () => {
      const open = await inbox(h, team.manager.apiKey, instanceId);
      expect(open).toHaveLength(1);
      expect(open[0]!.title).toContain(`${quote.id} v2`);
      return open;
    });
    const revised = await getQuote(h, quote.id);
    const v2 = revised.versions.find((v) => v.version === 2)!;
    expect([v2.changeReason, v2.totalCents, v2.lines.map((l) => l.quantity)]).toEqual([
      'more units, a bit more discount',
      1_700_000,
      [20],
    ]);
    json(await complete(h, team.manager.apiKey, second!.id, 'approve'), 200);
    await waitForStatus(h, instanceId, 'completed');
    expect(await orderTotalOf(quote.id)).toBe(1_700_000);
  });
});
