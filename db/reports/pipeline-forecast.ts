import { allOf, filterCondition, type ReportDefinition } from './report-definition';

/** Open opportunities by the month they are expected to close, weighted by their probability. */
export const pipelineForecastReport: ReportDefinition = {
  name: 'pipeline-forecast',
  title: { en: 'Weighted pipeline', 'zh-CN': '加权销售预测' },
  description:
    'Open opportunities (not won or lost) by month of their expected close date in the period: count, amount ' +
    'and weighted amount (amount × probability). Without an expected close date they are left out.',
  right: 'opportunities.read',
  records: 'opportunities',
  dimensions: { date: 'o.expected_close_date', region: 'c.region', owner: 'o.owner_id' },
  async run(em, filters, _params, visible) {
    const where = allOf(filterCondition(filters, this.dimensions), visible);
    const rows = await em.execute<{ month: string; opportunities: number; amount_cents: number; weighted: number }[]>(
      `select to_char(date_trunc('month', o.expected_close_date), 'YYYY-MM') as month,
              count(*)::int as opportunities,
              sum(o.amount_cents)::float8 as amount_cents,
              round(sum(o.amount_cents * o.probability) / 100.0)::float8 as weighted
         from opportunities o join customers c on c.id = o.customer_id
        where o.stage not in ('won', 'lost') and o.expected_close_date is not null and ${where.sql}
        group by 1 order by 1`,
      where.params,
    );
    return {
      columns: [
        { key: 'month', type: 'month', title: { en: 'Month', 'zh-CN': '月份' } },
        { key: 'opportunities', type: 'number', title: { en: 'Opportunities', 'zh-CN': '商机数' } },
        { key: 'amountCents', type: 'cents', title: { en: 'Amount', 'zh-CN': '金额' } },
        { key: 'weightedCents', type: 'cents', title: { en: 'Weighted amount', 'zh-CN': '加权金额' } },
      ],
      rows: rows.map((row) => ({
        month: row.month,
        opportunities: row.opportunities,
        amountCents: row.amount_cents,
        weightedCents: row.weighted,
      })),
      totals: {
        opportunities: rows.reduce((sum, row) => sum + row.opportunities, 0),
        amountCents: rows.reduce((sum, row) => sum + row.amount_cents, 0),
        weightedCents: rows.reduce((sum, row) => sum + row.weighted, 0),
      },
    };
  },
};
