import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { recordHistory } from '../../../workflow/support/history-recorder';
import { startCrmHarness, type CrmHarness } from '../../../support/crm-harness';
import { listMail, waitForMail } from '../../../support/mailbox';
import {
  complete,
  createCustomer,
  createProduct,
  createUser,
  createWarehouse,
  inbox,
  json,
  until,
} from './crm-fixtures';
import {
  createSalesTeam,
  getOrder,
  getQuote,
  instancesFor,
  postQuote,
  taskRows,
  waitForInbox,
  waitForStatus,
  type SalesTeam,
} from './sales-process-fixtures';

/**
 * The built-in quote-approval template, started by POST /quotes as a rep: pricing, the approval
 * levels the discount and total call for, send-back rounds, rejection, and the order it ends in.
 * Discounts stay clear of 10–15 % so a rule change published by another test file cannot matter.
 */
describe('quote approval (built-in template, through the API)', () => {
  let h: CrmHarness;
  beforeAll(async () => {
    h = await startCrmHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  /** A customer with this discount rate, and one stocked product whose line totals 10 000.00 at list price. */
  async function quoteSetup(discountRate: number, listPriceCents = 100_000) {
    const team = await createSalesTeam(h);
    const warehouse = await createWarehouse(h);
    // The rep's own customer: a rep quotes only customers they own.
    const customer = await createCustomer(h, { discountRate, ownerId: team.rep.id });
    const product = await createProduct(h, { listPriceCents, stock: [{ warehouseId: warehouse.id, onHand: 1000 }] });
    return { team, customer, product };
  }

  async function orderOf(quoteId: string) {
    const rows = await h.sql<{ id: string }>('select id from orders where quote_id = ?', [quoteId]);
    return rows.map((row) => row.id);
  }

  async function expectOrdered(quoteId: string, team: SalesTeam, totalCents: number) {
    const [orderId] = await until(async () => {
      const ids = await orderOf(quoteId);
      expect(ids).toHaveLength(1);
      return ids;
    });
    const order = await getOrder(h, orderId!);
    expect(order).toMatchObject({ quoteId, ownerId: team.rep.id, totalCents });
    await until(async () =>
      expect((await instancesFor(h, 'order-fulfilment', orderId!)).map((i) => i.businessKey)).toEqual([orderId]),
    );
    await until(async () => expect((await getQuote(h, quoteId)).status).toBe('accepted'));
    return order;
  }

  it('prices a quote under every threshold (tier by purchased volume), approves it without anyone, orders it and tells the owner', async () => {
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
      tiers: [{ minQuantity: 50, unitPriceCents: 2_000 }],
      stock: [{ warehouseId: warehouse.id, onHand: 100 }],
    });

    const { quote, instanceId } = await postQuote(h, team.rep.apiKey, {
      customerId: customer.id,
      lines: [
        { productId: tiered.id, quantity: 5 },
        { productId: plain.id, quantity: 2 },
      ],
    });
    expect(quote).toMatchObject({ status: 'submitted', ownerId: team.rep.id, currentVersion: 1 });
    await waitForStatus(h, instanceId, 'completed');

    // 5 + 6 bought before reaches the 10-unit tier: 96.00 less 5 % = 45 600 for the line; the other line stays at list.
    const lines = await h.sql<{
      line_no: number;
      unit_price_cents: string;
      discount_cents: string;
      line_total_cents: string;
    }>(
      `select l.line_no, l.unit_price_cents, l.discount_cents, l.line_total_cents from quote_lines l
       join quote_versions v on v.id = l.quote_version_id where v.quote_id = ? order by l.line_no`,
      [quote.id],
    );
    expect(
      lines.map((l) => [l.line_no, Number(l.unit_price_cents), Number(l.discount_cents), Number(l.line_total_cents)]),
    ).toEqual([
      [1, 9_600, 2_400, 45_600],
      [2, 2_500, 250, 4_750],
    ]);
    const [version] = await h.sql<{ list_total_cents: string; total_cents: string; discount_percent: string }>(
      'select list_total_cents, total_cents, discount_percent from quote_versions where quote_id = ?',
      [quote.id],
    );
    expect([
      Number(version!.list_total_cents),
      Number(version!.total_cents),
      Number(version!.discount_percent),
    ]).toEqual([55_000, 50_350, 8.45]);

    expect(await taskRows(h, instanceId)).toEqual([]);
    const order = await expectOrdered(quote.id, team, 50_350);
    expect(order.lines.map((l) => [l.productId, l.quantity, l.unitPriceCents])).toEqual([
      [tiered.id, 5, 9_600],
      [plain.id, 2, 2_500],
    ]);
    const mail = await waitForMail((m) => m.to.includes(team.rep.email) && m.subject === `Quote ${quote.id} approved`);
    expect(mail.text).toContain('policy (no approval needed)');
  });

  it('sends a quote above the manager threshold only to a sales manager, and orders it once approved', async () => {
    const { team, customer, product } = await quoteSetup(0.18);
    const { quote, instanceId } = await postQuote(h, team.rep.apiKey, {
      customerId: customer.id,
      lines: [{ productId: product.id, quantity: 10 }],
    });

    const [task] = await waitForInbox(h, team.manager, instanceId);
    expect(task!.candidateRole).toBe('sales-manager');
    expect(task!.title).toContain(`${quote.id} v1`);
    expect(await inbox(h, team.finance.apiKey, instanceId)).toEqual([]);
    expect(await inbox(h, team.director.apiKey, instanceId)).toEqual([]);
    expect(await inbox(h, team.rep.apiKey, instanceId)).toEqual([]);

    json(await complete(h, team.manager.apiKey, task!.id, 'approve', { reason: 'fine' }), 200);
    await waitForStatus(h, instanceId, 'completed');
    await expectOrdered(quote.id, team, 820_000);
    const rows = await taskRows(h, instanceId);
    expect(rows.map((t) => [t.candidate_role, t.outcome, t.completed_by])).toEqual([
      ['sales-manager', 'approve', team.manager.id],
    ]);
    const mail = await waitForMail((m) => m.to.includes(team.rep.email) && m.subject === `Quote ${quote.id} approved`);
    expect(mail.text).toContain(team.manager.id);
  });

  it('never lets a sales manager approve a quote they own (four-eyes): another manager decides it', async () => {
    const { team, product } = await quoteSetup(0.18);
    const owner = team.manager;
    // The manager's own customer, quoted by the manager: the quote is theirs to own, not to approve.
    const customer = await createCustomer(h, { discountRate: 0.18, ownerId: owner.id });
    const other = await createUser(h, { roles: ['sales-manager'] });
    const { quote, instanceId } = await postQuote(h, owner.apiKey, {
      customerId: customer.id,
      lines: [{ productId: product.id, quantity: 10 }],
    });
    expect(quote.ownerId).toBe(owner.id);
    const [task] = await waitForInbox(h, other, instanceId);
    expect(await inbox(h, owner.apiKey, instanceId)).toEqual([]);

    const ownApproval = await complete(h, owner.apiKey, task!.id, 'approve', { reason: 'mine' });
    expect(ownApproval.statusCode).toBe(403);
    expect(ownApproval.json()).toMatchObject({ type: 'https://crm-engine.dev/problems/four-eyes' });
    const taskUrl = `/api/v1/tasks/${encodeURIComponent(task!.id)}`;
    expect((await h.call(owner.apiKey, { method: 'POST', url: `${taskUrl}/claim` })).statusCode).toBe(403);
    json(await h.call(other.apiKey, { method: 'POST', url: `${taskUrl}/claim` }), 200);
    const toOwner = await h.call(other.apiKey, {
      method: 'POST',
      url: `${taskUrl}/delegate`,
      payload: { to: owner.id },
    });
    expect(toOwner.statusCode).toBe(403);
    expect(toOwner.json()).toMatchObject({ type: 'https://crm-engine.dev/problems/four-eyes' });
    expect((await getQuote(h, quote.id)).status).toBe('submitted');

    json(await complete(h, other.apiKey, task!.id, 'approve', { reason: 'checked by a second pair of eyes' }), 200);
    await waitForStatus(h, instanceId, 'completed');
    const rows = await taskRows(h, instanceId);
    expect(rows.map((t) => [t.outcome, t.completed_by])).toEqual([['approve', other.id]]);
  });

  it('asks the manager first, then finance and the director together, for a quote above 20 %', async () => {
    const { team, customer, product } = await quoteSetup(0.25);
    const { quote, instanceId } = await postQuote(h, team.rep.apiKey, {
      customerId: customer.id,
      lines: [{ productId: product.id, quantity: 10 }],
    });

    const [managerTask] = await waitForInbox(h, team.manager, instanceId);
    expect(await inbox(h, team.finance.apiKey, instanceId)).toEqual([]);
    expect(await inbox(h, team.director.apiKey, instanceId)).toEqual([]);
    json(await complete(h, team.manager.apiKey, managerTask!.id, 'approve'), 200);

    const [financeTask] = await waitForInbox(h, team.finance, instanceId);
    const [directorTask] = await waitForInbox(h, team.director, instanceId);
    expect(financeTask!.title).toContain('finance and director');
    json(await complete(h, team.director.apiKey, directorTask!.id, 'approve'), 200);
    expect((await getQuote(h, quote.id)).status).toBe('submitted');
    json(await complete(h, team.finance.apiKey, financeTask!.id, 'approve'), 200);
    await waitForStatus(h, instanceId, 'completed');
    await expectOrdered(quote.id, team, 750_000);

    // The second level opened only after the manager decided, and both of its tasks at once.
    const rows = await taskRows(h, instanceId);
    expect(rows.map((t) => t.candidate_role)).toEqual(['sales-manager', expect.any(String), expect.any(String)]);
    expect(new Set(rows.slice(1).map((t) => t.candidate_role))).toEqual(new Set(['finance', 'director']));
    const managerDone = rows[0]!.completedAt!;
    const secondLevel = rows.slice(1);
    for (const parallel of secondLevel) expect(parallel.createdAt).toBeGreaterThanOrEqual(managerDone);
    // Together: both were open before either was decided.
    const firstDecision = Math.min(...secondLevel.map((r) => r.completedAt!));
    expect(secondLevel.every((t) => t.createdAt <= firstDecision)).toBe(true);
    expect(secondLevel.map((t) => t.completed_by).sort()).toEqual([team.director.id, team.finance.id].sort());
  });

  it('sends a quote back, the owner revises it into version 2, which is approved and ordered', async () => {
    const { team, customer, product } = await quoteSetup(0.18);
    const { quote, instanceId } = await postQuote(h, team.rep.apiKey, {
      customerId: customer.id,
      lines: [{ productId: product.id, quantity: 10 }],
    });

    const [first] = await waitForInbox(h, team.manager, instanceId);
    json(await complete(h, team.manager.apiKey, first!.id, 'sendBack', { reason: 'split the delivery' }), 200);
    const [revise] = await waitForInbox(h, team.rep, instanceId);
    expect(revise).toMatchObject({ assignee: team.rep.id, outcomes: ['revised'] });
    expect(revise!.title).toContain('split the delivery');
    expect((await getQuote(h, quote.id)).status).toBe('changes-requested');
    expect(await inbox(h, team.manager.apiKey, instanceId)).toEqual([]);

    json(await complete(h, team.rep.apiKey, revise!.id, 'revised', { changeReason: 'delivery split in two' }), 200);
    const [second] = await waitForInbox(h, team.manager, instanceId);
    expect(second!.id).not.toBe(first!.id);
    expect(second!.title).toContain(`${quote.id} v2`);
    const revised = await getQuote(h, quote.id);
    expect(revised.versions.map((v) => [v.version, v.changeReason, v.totalCents])).toEqual([
      [1, null, 820_000],
      [2, 'delivery split in two', 820_000],
    ]);

    json(await complete(h, team.manager.apiKey, second!.id, 'approve'), 200);
    await waitForStatus(h, instanceId, 'completed');
    await recordHistory(h.client.workflow.getHandle(instanceId), 'builtin-quote-approval');
    await expectOrdered(quote.id, team, 820_000);
    expect((await getQuote(h, quote.id)).currentVersion).toBe(2);
    expect((await taskRows(h, instanceId)).map((t) => [t.step_id, t.outcome])).toEqual([
      ['sequentialApproval', 'sendBack'],
      ['revise', 'revised'],
      ['sequentialApproval', 'approve'],
    ]);
  });

  it('rejects a quote with a reason, once: a second completion is a 409 and no order is made', async () => {
    const { team, customer, product } = await quoteSetup(0.18);
    const { quote, instanceId } = await postQuote(h, team.rep.apiKey, {
      customerId: customer.id,
      lines: [{ productId: product.id, quantity: 10 }],
    });
    const [task] = await waitForInbox(h, team.manager, instanceId);
    json(await complete(h, team.manager.apiKey, task!.id, 'reject', { reason: 'margin too thin' }), 200);
    const again = await complete(h, team.manager.apiKey, task!.id, 'approve', { reason: 'changed my mind' });
    expect(again.statusCode).toBe(409);
    await waitForStatus(h, instanceId, 'completed');

    expect((await getQuote(h, quote.id)).status).toBe('rejected');
    expect(await orderOf(quote.id)).toEqual([]);
    const [row] = await h.sql<{ outcome: string; form_data: { reason: string } }>(
      'select outcome, form_data from task where id = ?',
      [task!.id],
    );
    expect(row).toMatchObject({ outcome: 'reject', form_data: { reason: 'margin too thin' } });
    const mail = await waitForMail(
      (m) => m.to.includes(team.rep.email) && m.subject === `Quote ${quote.id} not approved`,
    );
    expect(mail.text).toContain('margin too thin');
    const audit = await h.sql<{ detail: { reason?: string } }>(
      `select detail from audit_log where subject = ? and action = 'quote.rejected'`,
      [`quote:${quote.id}`],
    );
    expect(audit.map((a) => a.detail.reason)).toEqual(['margin too thin']);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await listMail()).filter((m) => m.subject.startsWith(`Quote ${quote.id} `))).toHaveLength(1);
    expect(await taskRows(h, instanceId)).toHaveLength(1);
  });

  it('ends rejected, without an order, when version 2 of a sent-back quote is rejected', async () => {
    const { team, customer, product } = await quoteSetup(0.18);
    const { quote, instanceId } = await postQuote(h, team.rep.apiKey, {
      customerId: customer.id,
      lines: [{ productId: product.id, quantity: 10 }],
    });
    const [first] = await waitForInbox(h, team.manager, instanceId);
    json(await complete(h, team.manager.apiKey, first!.id, 'sendBack', { reason: 'lower the quantity' }), 200);
    const [revise] = await waitForInbox(h, team.rep, instanceId);
    json(await complete(h, team.rep.apiKey, revise!.id, 'revised', { changeReason: 'customer insists' }), 200);
    const [second] = await waitForInbox(h, team.manager, instanceId);
    json(await complete(h, team.manager.apiKey, second!.id, 'reject', { reason: 'still no' }), 200);
    await waitForStatus(h, instanceId, 'completed');

    const rejected = await getQuote(h, quote.id);
    expect(rejected).toMatchObject({ status: 'rejected', currentVersion: 2 });
    expect(await orderOf(quote.id)).toEqual([]);
    await waitForMail(
      (m) =>
        m.to.includes(team.rep.email) && m.subject === `Quote ${quote.id} not approved` && m.text.includes('still no'),
    );
  });

  it('refuses a quote for an unknown product (422) or a quantity below one (400)', async () => {
    const { team, customer, product } = await quoteSetup(0);
    const unknown = await h.call(team.rep.apiKey, {
      method: 'POST',
      url: '/api/v1/quotes',
      payload: { customerId: customer.id, lines: [{ productId: 'P-nope', quantity: 1 }] },
    });
    expect(unknown.statusCode).toBe(422);
    for (const quantity of [0, -3]) {
      const bad = await h.call(team.rep.apiKey, {
        method: 'POST',
        url: '/api/v1/quotes',
        payload: { customerId: customer.id, lines: [{ productId: product.id, quantity }] },
      });
      expect(bad.statusCode).toBe(400);
    }
    expect(await h.sql('select id from quotes where customer_id = ?', [customer.id])).toEqual([]);
  });
});
