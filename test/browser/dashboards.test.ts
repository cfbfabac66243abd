import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { watchApiCalls } from '../support/api-calls';
import { startBrowserHarness, type BrowserHarness } from '../support/browser';

/** 陈东, sales manager of the east region (saved language zh-CN), and his team's reps. */
const MANAGER = 'mgr.east@crm.example';
const MANAGER_ID = 'u-mgr-east';
const REP_EAST = 'u-rep-east-1';
/** A manager of another region: none of his opportunities may reach 陈东's funnel. */
const OUTSIDER = 'u-rep-north-1';
const STAGES = ['prospecting', 'qualification', 'proposal', 'negotiation', 'won', 'lost'] as const;
const STAGE_ZH: Record<string, string> = {
  prospecting: '寻找商机',
  qualification: '资格确认',
  proposal: '方案报价',
  negotiation: '谈判',
  won: '赢单',
  lost: '输单',
};

/**
 * A manager reads the dashboards in Chromium against the real product: the sales funnel in
 * Chinese, whose numbers are those a SQL count over what he may see gives; the same with a
 * filter taken from the URL; the CSV of it; both languages at both widths.
 */
describe('staff app: dashboards', () => {
  let web: BrowserHarness;

  /** Opportunities of every stage, some of the east team's (the manager's and his reps'), some of another region's. */
  async function seedOpportunities(): Promise<void> {
    const owners = [MANAGER_ID, REP_EAST, 'u-rep-east-2', OUTSIDER];
    let n = 0;
    for (const [s, stage] of STAGES.entries()) {
      for (let i = 0; i <= (s * 3) % 5; i++) {
        const owner = owners[n % owners.length]!;
        const customer = `C-DASH-${n}`;
        await web.crm.sql(`insert into customers (id, name, region, owner_id) values (?, ?, ?, ?)`, [
          customer,
          `Dashboard customer ${n}`,
          owner === OUTSIDER ? 'north' : 'east',
          owner,
        ]);
        await web.crm.sql(
          `insert into opportunities (id, customer_id, stage, amount_cents, owner_id) values (?, ?, ?, ?, ?)`,
          [`O-DASH-${n}`, customer, stage, 100_000 * (n + 1), owner],
        );
        n++;
      }
    }
  }

  /** The funnel by SQL, over the opportunities the manager's team owns (himself, his reps, his region's people). */
  async function funnelBySql(owner?: string): Promise<Record<string, { count: number; cents: number }>> {
    const rows = await web.crm.sql<{ stage: string; count: number; cents: string }>(
      `select o.stage, count(*)::int as count, sum(o.amount_cents)::text as cents
         from opportunities o
        where o.owner_id in (select id from engine_user
                              where id = ? or manager_id = ? or attributes->>'region' = 'east')
          and (?::text is null or o.owner_id = ?)
        group by o.stage`,
      [MANAGER_ID, MANAGER_ID, owner ?? null, owner ?? null],
    );
    return Object.fromEntries(rows.map((row) => [row.stage, { count: row.count, cents: Number(row.cents) }]));
  }

  /** The funnel's table as the page shows it: stage title → its cells. */
  async function funnelTable(page: Page): Promise<Map<string, string[]>> {
    const table = page.getByTestId('table-sales-funnel');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    const rows = new Map<string, string[]>();
    for (const row of await table.locator('tbody tr.ant-table-row').all()) {
      const cells = (await row.locator('td').allInnerTexts()).map((cell) => cell.trim());
      rows.set(cells[0]!, cells.slice(1));
    }
    return rows;
  }

  /** echarts draws its shapes in over ~1 s: a screenshot before shows labels on nothing. */
  const settle = (page: Page) => page.waitForTimeout(1500);

  const zhCount = (n: number) => new Intl.NumberFormat('zh-CN').format(n);
  const zhAmount = (cents: number) =>
    new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(cents / 100);

  function expectTableMatches(table: Map<string, string[]>, counted: Record<string, { count: number; cents: number }>) {
    expect([...table.keys()]).toEqual(STAGES.map((stage) => STAGE_ZH[stage]));
    for (const stage of STAGES) {
      const [count, amount] = table.get(STAGE_ZH[stage]!)!;
      expect({ stage, count, amount }).toEqual({
        stage,
        count: zhCount(counted[stage]?.count ?? 0),
        amount: zhAmount(counted[stage]?.cents ?? 0),
      });
    }
  }

  beforeAll(async () => {
    web = await startBrowserHarness();
    await seedOpportunities();
  }, 240_000);
  afterAll(async () => web?.close());

  it('a manager opens the funnel in Chinese: its numbers are the SQL count of what he may see; a filter in the URL; CSV', async () => {
    const page = await web.newPage({ locale: 'zh-CN' });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
    await web.signIn(page, MANAGER, undefined, '/inbox');
    await page.getByTestId('nav-reports').click();
    await page.getByTestId('card-sales-funnel').waitFor();
    await page.getByTestId('open-sales-funnel').click();
    await expect(page.getByTestId('report-title').innerText()).resolves.toBe('销售漏斗');
    await page.getByTestId('chart-sales-funnel').locator('canvas').first().waitFor();

    const counted = await funnelBySql();
    // The seed gave the team something in every stage but one, and the other region's deals are not his.
    expect(Object.values(counted).reduce((sum, { count }) => sum + count, 0)).toBeGreaterThan(5);
    const everyone = await web.crm.sql<{ count: number }>(`select count(*)::int as count from opportunities`);
    expect(Object.values(counted).reduce((sum, { count }) => sum + count, 0)).toBeLessThan(everyone[0]!.count);
    expectTableMatches(await funnelTable(page), counted);
    await settle(page);
    await web.screenshot(page, 'dashboards-funnel-zh-CN-desktop');

    // A filter from the URL narrows the same numbers as the same filter in SQL.
    await page.goto(`/reports/sales-funnel?owner=${REP_EAST}`);
    await page.getByTestId('filter-owner').getByText('张伟').waitFor();
    expectTableMatches(await funnelTable(page), await funnelBySql(REP_EAST));

    // The CSV under the same filter: Excel's BOM, the header in Chinese, the same counts.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('csv-sales-funnel').click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const [header, ...lines] = csv.slice(1).trim().split(/\r?\n/);
    expect(header).toContain('阶段');
    const repCounts = await funnelBySql(REP_EAST);
    for (const stage of STAGES) {
      const line = lines.find((text) => text.startsWith(STAGE_ZH[stage]!) || text.startsWith(`"${STAGE_ZH[stage]!}"`));
      expect({ stage, count: line?.split(',')[1] }).toEqual({ stage, count: String(repCounts[stage]?.count ?? 0) });
    }

    // The dashboard passes its filters to every card; one a report does not take is named, not failed on.
    await page.goto('/reports?region=east');
    await expect(
      page.getByTestId('card-open-tasks-heatmap').getByTestId('ignored-filters').innerText(),
    ).resolves.toContain('区域');
    await page.getByTestId('card-sales-funnel').locator('canvas').first().waitFor();
    await expect(page.getByTestId('card-sales-funnel').getByTestId('ignored-filters').count()).resolves.toBe(0);
    expect(problems).toEqual([]);
  });

  it.each([
    ['en', 'mgr.north@crm.example'],
    ['zh-CN', MANAGER],
  ] as const)(
    'the dashboard and the funnel in %s at both widths, nothing wider than a phone',
    async (locale, email) => {
      for (const phone of [false, true]) {
        const page = await web.newPage({ locale, phone });
        const problems: string[] = [];
        page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
        page.on('response', (response) => {
          if (response.url().includes('/api/') && response.status() >= 500)
            problems.push(`${response.status()} ${response.url()}`);
        });
        const calls = watchApiCalls(page);
        await web.signIn(page, email, undefined, '/reports');
        await page.getByTestId('card-sales-funnel').locator('canvas').first().waitFor();
        await calls.settled();
        const width = phone ? 'phone' : 'desktop';
        await settle(page);
        await web.screenshot(page, `dashboards-${locale}-${width}`);
        expect(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(0);
        await page.getByTestId('open-sales-funnel').click();
        await page.getByTestId('table-sales-funnel').waitFor();
        await page.getByTestId('chart-sales-funnel').locator('canvas').first().waitFor();
        await calls.settled();
        await settle(page);
        await web.screenshot(page, `dashboards-funnel-${locale}-${width}`);
        expect(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(0);
        expect(problems).toEqual([]);
        await page.context().close();
      }
    },
  );
});
