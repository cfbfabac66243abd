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
    const opportunity = (
      n: number,
      customer: string,
      owner: string,
      stage: string,
      amount: number,
      createdAt = '2026-03-10T08:00:00Z',
    ) => ({
      id: id('OP', n),
      customer_id: id('C', customer),
      owner_id: owner,
      stage,
      amount_cents: amount,
      created_at: createdAt,
    });
    await insertRows(em, 'opportunities', [
      opportunity(1, 'e1', 'u-rep-east-1', 'prospecting', 10_000),
      opportunity(2, 'e1', 'u-rep-east-1', 'qualification', 20_000),
      opportunity(3, 'e1', 'u-rep-east-1', 'proposal', 30_000),
      opportunity(4, 'e1', 'u-rep-east-1', 'won', 40_000),
      opportunity(5, 'e1', 'u-rep-east-1', 'lost', 5_000),
      opportunity(6, 'e2', 'u-rep-east-2', 'negotiation', 50_000),
      opportunity(7, 'e2', 'u-rep-east-2', 'won', 60_000),
      opportunity(8, 'n', 'u-rep-north-1', 'prospecting', 70_000),
      // Before the period.
      opportunity(9, 'e1', 'u-rep-east-1', 'prospecting', 99_900, '2025-12-31T23:00:00Z'),
    ]);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('lists the reports the caller may read', async () => {
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
