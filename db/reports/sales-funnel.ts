import { allOf, filterCondition, fractionOf, type ReportDefinition, type ReportRow } from './report-definition';

/** The open stages in the order an opportunity moves through them, then the two ends. */
const STAGES = ['prospecting', 'qualification', 'proposal', 'negotiation', 'won', 'lost'] as const;
const STAGE_TITLES: Record<(typeof STAGES)[number], { en: string; 'zh-CN': string }> = {
  prospecting: { en: 'Prospecting', 'zh-CN': '寻找商机' },
  qualification: { en: 'Qualification', 'zh-CN': '资格确认' },
  proposal: { en: 'Proposal', 'zh-CN': '方案报价' },
  negotiation: { en: 'Negotiation', 'zh-CN': '谈判' },
  won: { en: 'Won', 'zh-CN': '赢单' },
  lost: { en: 'Lost', 'zh-CN': '输单' },
};

/**
 * Opportunities by stage. Only the current stage is stored, so an opportunity "reached" a stage
 * when it is at that stage or a later one on the way to won; a lost one is counted in `lost`
 * only (where it was lost is not recorded). Conversion is reached(next stage) / reached(stage).
 */
export const salesFunnelReport: ReportDefinition = {
  name: 'sales-funnel',
  title: { en: 'Sales funnel', 'zh-CN': '销售漏斗' },
  description:
    'Opportunities created in the period by current stage: count, amount, how many reached the stage ' +
    '(at it or later on the way to won) and the conversion to the next stage. Region: the customer’s.',
  right: 'opportunities.read',
  records: 'opportunities',
  dimensions: { date: 'o.created_at', region: 'c.region', owner: 'o.owner_id' },
  async run(em, filters, _params, visible) {
    const where = allOf(filterCondition(filters, this.dimensions), visible);
    // One grouped scan; the cumulative "reached" counts are a few additions in code.
    const counted = await em.execute<{ stage: string; opportunities: number; amount_cents: number }[]>(
      `select o.stage, count(*)::int as opportunities, coalesce(sum(o.amount_cents), 0)::float8 as amount_cents
         from opportunities o join customers c on c.id = o.customer_id
        where ${where.sql}
        group by o.stage`,
      where.params,
    );
    const byStage = new Map(counted.map((row) => [row.stage, row]));
    const open = STAGES.slice(0, 5);
    const reached = open.map((_, i) =>
      open.slice(i).reduce((sum, stage) => sum + (byStage.get(stage)?.opportunities ?? 0), 0),
    );
    const rows: ReportRow[] = STAGES.map((stage, i) => {
      const row = byStage.get(stage);
      const isOpenPath = i < open.length;
      return {
        stage,
        opportunities: row?.opportunities ?? 0,
        amountCents: row?.amount_cents ?? 0,
        reached: isOpenPath ? reached[i]! : (row?.opportunities ?? 0),
        conversion: i < open.length - 1 ? fractionOf(reached[i + 1]!, reached[i]!) : null,
      };
    });
    const total = counted.reduce((sum, row) => sum + row.opportunities, 0);
    const amount = counted.reduce((sum, row) => sum + row.amount_cents, 0);
    return {
      columns: [
        { key: 'stage', type: 'string', title: { en: 'Stage', 'zh-CN': '阶段' }, values: STAGE_TITLES },
        { key: 'opportunities', type: 'number', title: { en: 'Opportunities', 'zh-CN': '商机数' } },
        { key: 'amountCents', type: 'cents', title: { en: 'Amount', 'zh-CN': '金额' } },
        { key: 'reached', type: 'number', title: { en: 'Reached stage', 'zh-CN': '到达该阶段' } },
        { key: 'conversion', type: 'percent', title: { en: 'Conversion to next stage', 'zh-CN': '转化到下一阶段' } },
      ],
      rows,
      totals: {
        opportunities: total,
        amountCents: amount,
        winRate: fractionOf(byStage.get('won')?.opportunities ?? 0, total) ?? 0,
      },
    };
  },
};
