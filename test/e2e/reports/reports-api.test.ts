import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { startApiHarness, type ApiHarness } from '../../support/api-harness';
import { insertRows } from './report-data';

/*
 * The reports through HTTP over known rows (report-data.ts) in a region of this test's own:
 * exact numbers, CSV, scoping (a rep counts their own records, a manager the team's) and bad
 * filters. People: the demo company's (db/seed/engine-users.ts).
 */

const KEY = {
  admin: 'demo-admin-key',
  repEast1: 'demo-rep-east-1-key',
  mgrEast: 'demo-mgr-east-key',
  warehouse: 'demo-warehouse-key',
  supportLead: 'demo-support-lead-key',
  crManager: 'demo-cr-manager-key',
} as const;
type Who = keyof typeof KEY;

describe('reports API', () => {
  let api: ApiHarness;
  const tag = randomUUID().slice(0, 8);
  const region = `rpt-${tag}`;
  const id = (prefix: string, n: number | string) => `${prefix}-${tag}-${n}`;
  const period = 'from=2026-01-01&to=2026-12-31';

  const call = (who: Who, options: InjectOptions): Promise<LightMyRequestResponse> =>
    api.app.inject({ ...options, headers: { 'x-api-key': KEY[who], ...options.headers } });
  const report = async (who: Who, path: string) => {
    const response = await call(who, { method: 'GET', url: `/api/v1/reports/${path}` });
    expect({ path, status: response.statusCode }).toEqual({ path, status: 200 });
    return response.json() as {
      name: string;
      filters: Record<string, string>;
      columns: { key: string }[];
      rows: Record<string, unknown>[];
      totals?: Record<string, number>;
    };
  };

  beforeAll(async () => {
    api = await startApiHarness();
    const em = api.engine.orm.em.fork();
    await insertRows(em, 'customers', [
      { id: id('C', 'e1'), name: `East one ${tag}`, region, owner_id: 'u-rep-east-1' },
      { id: id('C', 'e2'), name: `East two ${tag}`, region, owner_id: 'u-rep-east-2' },
      { id: id('C', 'n'), name: `North ${tag}`, region, owner_id: 'u-rep-north-1' },
    ]);
    await insertRows(em, 'leads', [
      {
        id: id('L', 1),
        source: 'web',
        company: 'A',
        contact_name: 'a',
        region,
        status: 'qualified',
        owner_id: 'u-rep-east-1',
        created_at: '2026-02-01T00:00:00Z',
      },
      {
        id: id('L', 2),
        source: 'web',
        company: 'B',
        contact_name: 'b',
        region,
        status: 'new',
        owner_id: 'u-rep-east-1',
        created_at: '2026-02-01T00:00:00Z',
      },
      {
        id: id('L', 3),
        source: 'fair',
        company: 'C',
        contact_name: 'c',
        region,
        status: 'qualified',
        owner_id: 'u-rep-east-2',
        created_at: '2026-02-01T00:00:00Z',
      },
      {
        id: id('L', 4),
        source: 'web',
        company: 'D',
        contact_name: 'd',
        region,
        status: 'contacted',
        owner_id: 'u-rep-north-1',
        created_at: '2026-02-01T00:00:00Z',
      },
    ]);
    const opportunity = (
      n: number,
      customer: string,
      owner: string,
      stage: string,
      amount: number,
      createdAt = '2026-03-10T08:00:00Z',
      extra: Record<string, unknown> = {},
    ) => ({
      ...extra,
      id: id('OP', n),
      customer_id: id('C', customer),
      owner_id: owner,
      stage,
      amount_cents: amount,
      created_at: createdAt,
    });
    await insertRows(em, 'opportunities', [
      opportunity(1, 'e1', 'u-rep-east-1', 'prospecting', 10_000, '2026-03-10T08:00:00Z', {
        probability: 10,
        expected_close_date: '2026-04-15',
      }),
      opportunity(2, 'e1', 'u-rep-east-1', 'qualification', 20_000, '2026-03-10T08:00:00Z', {
        probability: 25,
        expected_close_date: '2026-04-20',
      }),
      opportunity(3, 'e1', 'u-rep-east-1', 'proposal', 30_000, '2026-03-10T08:00:00Z', {
        probability: 50,
        expected_close_date: '2026-05-01',
      }),
      opportunity(4, 'e1', 'u-rep-east-1', 'won', 40_000, '2026-03-10T08:00:00Z', { lead_id: id('L', 1) }),
      opportunity(5, 'e1', 'u-rep-east-1', 'lost', 5_000),
      opportunity(6, 'e2', 'u-rep-east-2', 'negotiation', 50_000, '2026-03-10T08:00:00Z', {
        probability: 75,
        expected_close_date: '2026-05-31',
      }),
      opportunity(7, 'e2', 'u-rep-east-2', 'won', 60_000),
      opportunity(8, 'n', 'u-rep-north-1', 'prospecting', 70_000),
      // Before the period.
      opportunity(9, 'e1', 'u-rep-east-1', 'prospecting', 99_900, '2025-12-31T23:00:00Z'),
    ]);
    await insertRows(em, 'products', [
      { id: id('P', 1), sku: id('SKU', 1), name: 'Router', product_line: 'hardware', list_price_cents: 10_000 },
      { id: id('P', 2), sku: id('SKU', 2), name: 'Switch', product_line: 'hardware', list_price_cents: 10_000 },
    ]);
    // With the fulfilment figures OrderRepository keeps on an order as its lines and notes below are written.
    const order = (
      n: number,
      customer: string,
      owner: string,
      status: string,
      total: number,
      createdAt: string,
      fulfilment: { ordered: number; shipped: number; notes: number; firstShippedAt: string | null },
    ) => ({
      id: id('O', n),
      customer_id: id('C', customer),
      owner_id: owner,
      status,
      total_cents: total,
      created_at: createdAt,
      ordered_quantity: fulfilment.ordered,
      shipped_quantity: fulfilment.shipped,
      shipment_count: fulfilment.notes,
      first_shipped_at: fulfilment.firstShippedAt,
    });
    await insertRows(em, 'orders', [
      order(1, 'e1', 'u-rep-east-1', 'partially-shipped', 30_000, '2026-03-05T05:00:00Z', {
        ordered: 3,
        shipped: 2,
        notes: 1,
        firstShippedAt: '2026-03-06T05:00:00Z',
      }),
      order(2, 'e2', 'u-rep-east-2', 'shipped', 50_000, '2026-03-20T00:00:00Z', {
        ordered: 5,
        shipped: 5,
        notes: 2,
        firstShippedAt: '2026-03-20T12:00:00Z',
      }),
      order(3, 'n', 'u-rep-north-1', 'cancelled', 99_900, '2026-03-21T00:00:00Z', {
        ordered: 9,
        shipped: 0,
        notes: 0,
        firstShippedAt: null,
      }),
      order(4, 'n', 'u-rep-north-1', 'confirmed', 20_000, '2026-04-02T00:00:00Z', {
        ordered: 2,
        shipped: 0,
        notes: 0,
        firstShippedAt: null,
      }),
    ]);
    const line = (o: number, no: number, product: number, quantity: number, shipped: number) => ({
      id: id(`OL${o}`, no),
      order_id: id('O', o),
      line_no: no,
      product_id: id('P', product),
      quantity,
      unit_price_cents: 10_000,
      shipped_quantity: shipped,
    });
    await insertRows(em, 'order_lines', [
      line(1, 1, 1, 2, 2),
      line(1, 2, 2, 1, 0),
      line(2, 1, 1, 5, 5),
      line(3, 1, 1, 9, 0),
      line(4, 1, 2, 2, 0),
    ]);
    await insertRows(em, 'warehouses', [{ id: id('W', 1), name: 'Reports warehouse' }]);
    const note = (o: number, key: string, createdAt: string) => ({
      id: id(`SN${o}`, key),
      order_id: id('O', o),
      warehouse_id: id('W', 1),
      idempotency_key: key,
      lines: [],
      status: 'shipped',
      created_at: createdAt,
    });
    await insertRows(em, 'shipment_notes', [
      note(1, 'a', '2026-03-06T05:00:00Z'),
      note(2, 'a', '2026-03-20T12:00:00Z'),
      note(2, 'b', '2026-03-22T00:00:00Z'),
    ]);

    await insertRows(em, 'quotes', [
      { id: id('Q', 1), customer_id: id('C', 'e1'), owner_id: 'u-rep-east-1', status: 'rejected' },
      { id: id('Q', 2), customer_id: id('C', 'n'), owner_id: 'u-rep-north-1', status: 'approved' },
    ]);
    const instance = (name: string, businessKey: string) => ({
      id: id('PI', name),
      template_key: 'quote-approval',
      version: 1,
      business_key: businessKey,
      status: 'completed',
      started_at: '2026-03-01T00:00:00Z',
      updated_at: '2026-03-01T00:00:00Z',
    });
    await insertRows(em, 'process_instance', [
      instance('q1', id('Q', 1)),
      instance('q2', id('Q', 2)),
      instance('k2', id('K', 2)),
    ]);
    const decision = (
      n: number,
      instanceName: string,
      role: string,
      outcome: string,
      hours: number,
      reason?: string,
    ) => ({
      id: id('T', n),
      instance_id: id('PI', instanceName),
      template_key: 'quote-approval',
      step_id: 'sequentialApproval',
      title: 'Approve',
      candidate_role: role,
      outcomes: `{approve,reject,sendBack}`,
      status: 'completed',
      outcome,
      form_data: reason === undefined ? {} : { reason },
      completed_by: 'u-admin',
      created_at: '2026-03-01T00:00:00Z',
      completed_at: new Date(Date.parse('2026-03-01T00:00:00Z') + hours * 3_600_000),
      updated_at: '2026-03-01T00:00:00Z',
    });
    await insertRows(em, 'task', [
      decision(1, 'q1', 'sales-manager', 'approve', 2),
      decision(2, 'q1', 'finance', 'reject', 10, 'Too cheap'),
      decision(3, 'q2', 'sales-manager', 'reject', 4, 'Too cheap'),
      decision(4, 'q2', 'sales-manager', 'sendBack', 6, 'fix terms'),
      decision(5, 'q2', 'director', 'approve', 1),
    ]);

    const ticket = (n: number, category: string, priority: string, extra: Record<string, unknown>) => ({
      id: id('K', n),
      customer_id: id('C', 'e1'),
      subject: `Ticket ${n}`,
      category,
      priority,
      created_at: '2026-03-01T00:00:00Z',
      response_due_at: '2026-03-01T04:00:00Z',
      ...extra,
    });
    await insertRows(em, 'tickets', [
      ticket(1, 'technical', 'high', {
        status: 'resolved',
        responded_at: '2026-03-01T01:00:00Z',
        resolution_due_at: '2026-03-03T00:00:00Z',
        resolved_at: '2026-03-02T00:00:00Z',
      }),
      ticket(2, 'technical', 'high', {
        status: 'open',
        responded_at: '2026-03-01T05:00:00Z',
        resolution_due_at: '2026-03-03T00:00:00Z',
      }),
      ticket(3, 'complaint', 'urgent', {
        status: 'open',
        red_alert: true,
        responded_at: '2026-03-01T02:00:00Z',
        resolution_due_at: '2099-01-01T00:00:00Z',
      }),
    ]);
    const openTask = (
      n: string,
      instanceId: string,
      template: string,
      step: string,
      due: Date | null,
      extra: Record<string, unknown> = {},
    ) => ({
      id: id('OT', n),
      instance_id: instanceId,
      template_key: template,
      step_id: step,
      title: 'Work',
      outcomes: '{done}',
      candidate_role: 'support-lead',
      due_at: due,
      created_at: '2026-03-01T00:00:00Z',
      updated_at: '2026-03-01T00:00:00Z',
      ...extra,
    });
    const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000);
    await insertRows(em, 'task', [
      openTask('esc', id('PI', 'k2'), 'ticket-escalation', 'respond', inHours(-50), {
        escalation_level: 1,
        status: 'completed',
      }),
      openTask('a1', `pi-${tag}`, `rpt-${tag}`, 'a', inHours(-1), { assignee: 'u-rep-east-1' }),
      openTask('a2', `pi-${tag}`, `rpt-${tag}`, 'a', inHours(2)),
      openTask('b1', `pi-${tag}`, `rpt-${tag}`, 'b', inHours(48)),
      openTask('b2', `pi-${tag}`, `rpt-${tag}`, 'b', null),
      openTask('b3', `pi-${tag}`, `rpt-${tag}`, 'b', inHours(1), { status: 'completed' }),
    ]);

    await insertRows(em, 'surveys', [
      {
        id: id('S', 1),
        name: 'After sales',
        questions: [
          { id: 'q1', text: 'How satisfied?', kind: 'rating' },
          { id: 'q2', text: 'Anything else?', kind: 'text' },
        ],
      },
    ]);
    const answer = (n: number, rating: number, text: string, createdAt: string) => ({
      invitation: {
        id: id('SI', n),
        survey_id: id('S', 1),
        customer_id: id('C', 'e1'),
        email: `s${n}@buyer.example`,
        trigger_ref: id('TR', n),
        status: 'responded',
      },
      response: {
        id: id('SR', n),
        invitation_id: id('SI', n),
        answers: { q1: rating, q2: text },
        score: rating,
        created_at: createdAt,
      },
      // The projection SurveyRepository.respond writes with the response: a row per answered question.
      projection: [
        { question_id: 'q1', rating, answer_text: null },
        { question_id: 'q2', rating: null, answer_text: text },
      ].map((value) => ({
        response_id: id('SR', n),
        survey_id: id('S', 1),
        customer_id: id('C', 'e1'),
        responded_at: createdAt,
        ...value,
      })),
    });
    const answers = [
      answer(1, 5, '送货速度很快', '2026-03-02T00:00:00Z'),
      answer(2, 1, 'Delivery was slow and late', '2026-03-03T00:00:00Z'),
      answer(3, 2, '送货太慢了', '2026-04-01T00:00:00Z'),
    ];
    await insertRows(
      em,
      'survey_invitations',
      answers.map((a) => a.invitation),
    );
    await insertRows(
      em,
      'survey_responses',
      answers.map((a) => a.response),
    );
    await insertRows(
      em,
      'survey_answers',
      answers.flatMap((a) => a.projection),
    );
  });
  afterAll(async () => {
    await api?.close();
  });

  it('lists the reports the caller may read', async () => {
    const lead = (await call('supportLead', { method: 'GET', url: '/api/v1/reports' })).json() as {
      items: { name: string; filters: string[] }[];
    };
    expect(lead.items.map((item) => item.name)).toEqual(['ticket-sla', 'open-tasks-heatmap']);
    // The filters each takes, so a dashboard never sends one a report refuses (open tasks have no period).
    expect(lead.items.map((item) => [item.name, item.filters])).toEqual([
      ['ticket-sla', ['from', 'to', 'region', 'team', 'owner']],
      ['open-tasks-heatmap', ['team', 'owner']],
    ]);
    const admin = (await call('admin', { method: 'GET', url: '/api/v1/reports' })).json() as {
      items: { name: string; right: string }[];
    };
    expect(admin.items.map((item) => item.name)).toContain('sales-funnel');
    const warehouse = (await call('warehouse', { method: 'GET', url: '/api/v1/reports' })).json() as {
      items: { name: string }[];
    };
    expect(warehouse.items.map((item) => item.name)).not.toContain('sales-funnel');
  });

  describe('sales-funnel', () => {
    it('counts opportunities by stage with the conversion to the next stage', async () => {
      const body = await report('admin', `sales-funnel?${period}&region=${region}`);
      expect(body.filters).toEqual({ from: '2026-01-01', to: '2026-12-31', region });
      expect(body.columns.map((c) => c.key)).toEqual([
        'stage',
        'opportunities',
        'amountCents',
        'reached',
        'conversion',
      ]);
      expect(body.rows).toEqual([
        { stage: 'prospecting', opportunities: 2, amountCents: 80_000, reached: 7, conversion: 0.7143 },
        { stage: 'qualification', opportunities: 1, amountCents: 20_000, reached: 5, conversion: 0.8 },
        { stage: 'proposal', opportunities: 1, amountCents: 30_000, reached: 4, conversion: 0.75 },
        { stage: 'negotiation', opportunities: 1, amountCents: 50_000, reached: 3, conversion: 0.6667 },
        { stage: 'won', opportunities: 2, amountCents: 100_000, reached: 2, conversion: null },
        { stage: 'lost', opportunities: 1, amountCents: 5_000, reached: 1, conversion: null },
      ]);
      expect(body.totals).toEqual({ opportunities: 8, amountCents: 285_000, winRate: 0.25 });
    });

    it('counts only the records the reader may see: a rep their own, a manager the team’s', async () => {
      const rep = await report('repEast1', `sales-funnel?${period}&region=${region}`);
      expect(rep.rows.map((row) => [row['stage'], row['opportunities']])).toEqual([
        ['prospecting', 1],
        ['qualification', 1],
        ['proposal', 1],
        ['negotiation', 0],
        ['won', 1],
        ['lost', 1],
      ]);
      // Asking for another owner's numbers gives nothing more than the scope.
      const asked = await report('repEast1', `sales-funnel?${period}&region=${region}&owner=u-rep-north-1`);
      expect(asked.totals?.['opportunities']).toBe(0);
      const manager = await report('mgrEast', `sales-funnel?${period}&region=${region}`);
      expect(manager.totals?.['opportunities']).toBe(7);
      const team = await report('admin', `sales-funnel?${period}&region=${region}&team=u-mgr-east`);
      expect(team.totals?.['opportunities']).toBe(7);
      const owner = await report('admin', `sales-funnel?${period}&region=${region}&owner=u-rep-east-2`);
      expect(owner.totals?.['opportunities']).toBe(2);
      const everything = await report('admin', `sales-funnel?region=${region}`);
      expect(everything.totals?.['opportunities']).toBe(9);
    });

    it('answers CSV with a BOM and titles in the request’s language', async () => {
      for (const options of [
        { url: `sales-funnel?${period}&region=${region}&format=csv`, headers: { 'accept-language': 'zh-CN' } },
        { url: `sales-funnel?${period}&region=${region}`, headers: { 'accept-language': 'zh-CN', accept: 'text/csv' } },
      ]) {
        const response = await call('admin', {
          method: 'GET',
          url: `/api/v1/reports/${options.url}`,
          headers: options.headers,
        });
        expect(response.statusCode).toBe(200);
        expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
        expect(response.headers['content-disposition']).toMatch(
          /^attachment; filename="sales-funnel-\d{4}-\d{2}-\d{2}\.csv"$/,
        );
        const lines = response.body.split('\r\n');
        expect(lines[0]).toBe('\uFEFF阶段,商机数,金额,到达该阶段,转化到下一阶段');
        expect(lines[1]).toBe('寻找商机,2,80000,7,0.7143');
        expect(lines[6]).toBe('输单,1,5000,1,');
      }
      const english = await call('admin', {
        method: 'GET',
        url: `/api/v1/reports/sales-funnel?region=${region}&format=csv`,
        headers: { 'accept-language': 'en' },
      });
      expect(english.body.split('\r\n')[0]).toBe(
        '\uFEFFStage,Opportunities,Amount,Reached stage,Conversion to next stage',
      );
    });
  });

  const scope = `${period}&region=${region}`;

  it('lead-conversion: leads by source and region, qualified, converted (a won opportunity) and rate', async () => {
    const body = await report('admin', `lead-conversion?${scope}`);
    expect(body.rows).toEqual([
      { source: 'web', region, leads: 3, qualified: 1, converted: 1, rate: 0.3333 },
      { source: 'fair', region, leads: 1, qualified: 1, converted: 0, rate: 0 },
    ]);
    expect(body.totals).toEqual({ leads: 4, qualified: 2, converted: 1, rate: 0.25 });
    const rep = await report('repEast1', `lead-conversion?${scope}`);
    expect(rep.totals).toEqual({ leads: 2, qualified: 1, converted: 1, rate: 0.5 });
  });

  it('sales by region, rep and product, cancelled orders left out', async () => {
    expect((await report('admin', `sales?${scope}`)).rows).toEqual([{ key: region, orders: 3, amountCents: 100_000 }]);
    expect(
      (await report('admin', `sales?${scope}&by=rep`)).rows.map((r) => [r['key'], r['orders'], r['amountCents']]),
    ).toEqual([
      ['u-rep-east-2', 1, 50_000],
      ['u-rep-east-1', 1, 30_000],
      ['u-rep-north-1', 1, 20_000],
    ]);
    expect((await report('admin', `sales?${scope}&by=product`)).rows).toEqual([
      { key: id('P', 1), name: 'Router', orders: 2, quantity: 7, amountCents: 70_000 },
      { key: id('P', 2), name: 'Switch', orders: 2, quantity: 3, amountCents: 30_000 },
    ]);
    expect((await report('repEast1', `sales?${scope}`)).rows).toEqual([
      { key: region, orders: 1, amountCents: 30_000 },
    ]);
  });

  it('pipeline-forecast: open opportunities by expected close month, weighted by probability', async () => {
    const body = await report('admin', `pipeline-forecast?from=2026-04-01&to=2026-05-31&region=${region}`);
    expect(body.rows).toEqual([
      { month: '2026-04', opportunities: 2, amountCents: 30_000, weightedCents: 6_000 },
      { month: '2026-05', opportunities: 2, amountCents: 80_000, weightedCents: 52_500 },
    ]);
    const rep = await report('repEast1', `pipeline-forecast?region=${region}`);
    expect(rep.rows.map((r) => r['opportunities'])).toEqual([2, 1]);
  });

  it('quote-approvals: decisions per level with median and p90 hours, and rejection reasons', async () => {
    const body = await report('admin', `quote-approvals?${scope}`);
    expect(body.rows).toEqual([
      { level: 'director', decisions: 1, approvals: 1, rejections: 0, sentBack: 0, medianHours: 1, p90Hours: 1 },
      { level: 'finance', decisions: 1, approvals: 0, rejections: 1, sentBack: 0, medianHours: 10, p90Hours: 10 },
      { level: 'sales-manager', decisions: 3, approvals: 1, rejections: 1, sentBack: 1, medianHours: 4, p90Hours: 5.6 },
    ]);
    expect((await report('admin', `quote-approvals?${scope}&view=reasons`)).rows).toEqual([
      { reason: 'Too cheap', level: 'finance', rejections: 1 },
      { reason: 'Too cheap', level: 'sales-manager', rejections: 1 },
    ]);
    const rep = await report('repEast1', `quote-approvals?${scope}`);
    expect(rep.rows.map((r) => [r['level'], r['decisions']])).toEqual([
      ['finance', 1],
      ['sales-manager', 1],
    ]);
  });

  it('order-fulfilment: fill rate, partial deliveries and median hours to ship by month', async () => {
    expect((await report('admin', `order-fulfilment?${scope}`)).rows).toEqual([
      { month: '2026-03', orders: 2, fillRate: 0.875, partial: 2, complete: 1, medianHoursToShip: 18 },
      { month: '2026-04', orders: 1, fillRate: 0, partial: 0, complete: 0, medianHoursToShip: null },
    ]);
  });

  it('ticket-sla: attainment, breaches, escalations by category and priority', async () => {
    const body = await report('supportLead', `ticket-sla?${scope}`);
    expect(body.rows).toEqual([
      {
        category: 'technical',
        priority: 'high',
        tickets: 2,
        responseMet: 0.5,
        resolutionMet: 0.5,
        breaches: 1,
        escalations: 1,
        redAlerts: 0,
      },
      {
        category: 'complaint',
        priority: 'urgent',
        tickets: 1,
        responseMet: 1,
        resolutionMet: null,
        breaches: 0,
        escalations: 0,
        redAlerts: 1,
      },
    ]);
    expect((await call('repEast1', { method: 'GET', url: '/api/v1/reports/ticket-sla' })).statusCode).toBe(403);
  });

  it('survey-scores: per question, trend, low-score areas and keywords of open answers (zh and en)', async () => {
    const survey = `${scope}&survey=${id('S', 1)}`;
    expect((await report('crManager', `survey-scores?${survey}`)).rows).toEqual([
      {
        surveyId: id('S', 1),
        questionId: 'q1',
        question: 'How satisfied?',
        answers: 3,
        average: 2.67,
        lowShare: 0.6667,
      },
    ]);
    expect((await report('crManager', `survey-scores?${survey}&view=trend`)).rows).toEqual([
      { month: '2026-03', responses: 2, average: 3, low: 1 },
      { month: '2026-04', responses: 1, average: 2, low: 1 },
    ]);
    expect((await report('crManager', `survey-scores?${survey}&view=low`)).rows).toEqual([
      { surveyId: id('S', 1), questionId: 'q1', question: 'How satisfied?', region, answers: 3, average: 2.67 },
    ]);
    const keywords = await report('crManager', `survey-scores?${survey}&view=keywords`);
    expect(keywords.rows).toContainEqual({ keyword: '送货', language: 'zh', answers: 2, share: 0.6667 });
    expect(keywords.rows).toContainEqual({ keyword: 'delivery', language: 'en', answers: 1, share: 0.3333 });
    expect(keywords.rows).toContainEqual({ keyword: 'slow', language: 'en', answers: 1, share: 0.3333 });
    expect(
      (await call('crManager', { method: 'GET', url: `/api/v1/reports/survey-scores?owner=u-admin` })).statusCode,
    ).toBe(400);
  });

  it('open-tasks-heatmap: open tasks by step and time to due, as the reader’s inbox shows them', async () => {
    const zero = { overdue: 0, under4h: 0, under1d: 0, under3d: 0, later: 0, noDue: 0 };
    expect((await report('admin', `open-tasks-heatmap?template=rpt-${tag}`)).rows).toEqual([
      { templateKey: `rpt-${tag}`, stepId: 'a', ...zero, overdue: 1, under4h: 1, total: 2 },
      { templateKey: `rpt-${tag}`, stepId: 'b', ...zero, under3d: 1, noDue: 1, total: 2 },
    ]);
    expect((await report('repEast1', `open-tasks-heatmap?template=rpt-${tag}`)).rows).toEqual([
      { templateKey: `rpt-${tag}`, stepId: 'a', ...zero, overdue: 1, total: 1 },
    ]);
  });

  it('refuses a reader without the records’ right (403) and an unknown report (404)', async () => {
    const refused = await call('warehouse', { method: 'GET', url: '/api/v1/reports/sales-funnel' });
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    const missing = await call('admin', { method: 'GET', url: '/api/v1/reports/no-such-report' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ type: 'https://crm-engine.dev/problems/report-not-found' });
  });

  it.each([
    ['sales-funnel?from=2026-02-30', '/querystring/from'],
    ['sales-funnel?from=yesterday', '/querystring/from'],
    ['sales-funnel?from=2026-05-01&to=2026-04-01', '/querystring/to'],
    ['sales-funnel?by=region', '/querystring/by'],
    ['sales-funnel?team=u-nobody', '/querystring/team'],
    ['sales-funnel?color=red', '/querystring'],
    ['sales-funnel?format=xml', '/querystring/format'],
  ])('answers a bad filter with a 400 problem: %s', async (path, pointer) => {
    const response = await call('admin', { method: 'GET', url: `/api/v1/reports/${path}` });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = response.json() as { errors: { path: string }[] };
    expect(body.errors.map((error) => error.path)).toContainEqual(expect.stringMatching(new RegExp(`^${pointer}`)));
  });
});
