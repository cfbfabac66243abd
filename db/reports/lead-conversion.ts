import { allOf, filterCondition, fractionOf, type ReportDefinition } from './report-definition';

/**
 * Leads by source and region: how many were qualified (became a customer and an opportunity)
 * and how many converted (an opportunity made from the lead was won).
 */
export const leadConversionReport: ReportDefinition = {
  name: 'lead-conversion',
  title: { en: 'Lead conversion', 'zh-CN': '线索转化' },
  description:
    'Leads created in the period by source and region: leads, qualified, converted (an opportunity from the lead ' +
    'was won) and the conversion rate (converted / leads). Region: the lead’s.',
  right: 'leads.read',
  records: 'leads',
  dimensions: { date: 'l.created_at', region: 'l.region', owner: 'l.owner_id' },
  async run(em, filters, _params, visible) {
    const where = allOf(filterCondition(filters, this.dimensions), visible);
    const rows = await em.execute<
      { source: string; region: string | null; leads: number; qualified: number; converted: number }[]
    >(
      `select l.source, l.region, count(*)::int as leads,
              count(*) filter (where l.status = 'qualified')::int as qualified,
              count(won.lead_id)::int as converted
         from leads l
         left join (select distinct lead_id from opportunities where stage = 'won' and lead_id is not null) won
           on won.lead_id = l.id
        where ${where.sql}
        group by l.source, l.region
        order by count(*) desc, l.source, l.region nulls last`,
      where.params,
    );
    const sum = (key: 'leads' | 'qualified' | 'converted') => rows.reduce((total, row) => total + row[key], 0);
    return {
      columns: [
        { key: 'source', type: 'string', title: { en: 'Source', 'zh-CN': '来源' } },
        { key: 'region', type: 'string', title: { en: 'Region', 'zh-CN': '地区' } },
        { key: 'leads', type: 'number', title: { en: 'Leads', 'zh-CN': '线索数' } },
        { key: 'qualified', type: 'number', title: { en: 'Qualified', 'zh-CN': '已确认' } },
        { key: 'converted', type: 'number', title: { en: 'Converted', 'zh-CN': '已成交' } },
        { key: 'rate', type: 'percent', title: { en: 'Conversion rate', 'zh-CN': '转化率' } },
      ],
      rows: rows.map((row) => ({ ...row, rate: fractionOf(row.converted, row.leads) })),
      totals: {
        leads: sum('leads'),
        qualified: sum('qualified'),
        converted: sum('converted'),
        rate: fractionOf(sum('converted'), sum('leads')) ?? 0,
      },
    };
  },
};
