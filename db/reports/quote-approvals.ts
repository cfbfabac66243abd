import { allOf, filterCondition, type ReportDefinition, type ReportTable } from './report-definition';

/*
 * Approval decisions are the completed task rows of the approval processes: a task offering
 * `approve` and `reject` in an instance whose business key is a quote (quote-approval's
 * sequentialApproval and parallelApproval, or any template deciding quotes the same way). Its
 * level is the role it was offered to; its reason the `reason` field of its form.
 */
const DECISIONS = `task t
  join process_instance pi on pi.id = t.instance_id
  join quotes q on q.id = pi.business_key
  join customers c on c.id = q.customer_id`;
const IS_DECISION = `t.status = 'completed' and t.outcomes @> array['approve', 'reject']::text[]`;

const LEVEL = {
  key: 'level',
  type: 'string',
  title: { en: 'Level (approver role)', 'zh-CN': '审批级别（审批角色）' },
} as const;

/** Quote approval decisions per level, or the reasons of rejections (`view=reasons`). */
export const quoteApprovalsReport: ReportDefinition = {
  name: 'quote-approvals',
  title: { en: 'Quote approvals', 'zh-CN': '报价审批' },
  description:
    'Approval decisions taken in the period (task completion), per level (the approver role): decisions, approvals, ' +
    'rejections, sent back, median and 90th percentile hours from the task opening to the decision. ' +
    '`view=reasons`: rejections by reason and level. Scoped and filtered by the quote’s owner and its customer’s region.',
  right: 'quotes.read',
  records: 'quotes',
  dimensions: { date: 't.completed_at', region: 'c.region', owner: 'q.owner_id' },
  params: { view: { description: 'levels | reasons', values: ['levels', 'reasons'] } },
  async run(em, filters, params, visible): Promise<ReportTable> {
    const where = allOf(filterCondition(filters, this.dimensions), visible);
    if (params['view'] === 'reasons') {
      const rows = await em.execute<{ reason: string | null; level: string | null; rejections: number }[]>(
        `select nullif(btrim(t.form_data ->> 'reason'), '') as reason, t.candidate_role as level, count(*)::int as rejections
           from ${DECISIONS}
          where ${IS_DECISION} and t.outcome = 'reject' and ${where.sql}
          group by 1, 2 order by 3 desc, 1 nulls last, 2`,
        where.params,
      );
      return {
        columns: [
          { key: 'reason', type: 'string', title: { en: 'Reason', 'zh-CN': '理由' } },
          LEVEL,
          { key: 'rejections', type: 'number', title: { en: 'Rejections', 'zh-CN': '驳回数' } },
        ],
        rows,
        totals: { rejections: rows.reduce((sum, row) => sum + row.rejections, 0) },
      };
    }
    const rows = await em.execute<
      {
        level: string | null;
        decisions: number;
        approvals: number;
        rejections: number;
        sent_back: number;
        median_hours: number | null;
        p90_hours: number | null;
      }[]
    >(
      `select t.candidate_role as level, count(*)::int as decisions,
              count(*) filter (where t.outcome = 'approve')::int as approvals,
              count(*) filter (where t.outcome = 'reject')::int as rejections,
              count(*) filter (where t.outcome not in ('approve', 'reject'))::int as sent_back,
              round((percentile_cont(0.5) within group (order by extract(epoch from t.completed_at - t.created_at)) / 3600)::numeric, 2)::float8 as median_hours,
              round((percentile_cont(0.9) within group (order by extract(epoch from t.completed_at - t.created_at)) / 3600)::numeric, 2)::float8 as p90_hours
         from ${DECISIONS}
        where ${IS_DECISION} and ${where.sql}
        group by 1 order by 1 nulls last`,
      where.params,
    );
    return {
      columns: [
        LEVEL,
        { key: 'decisions', type: 'number', title: { en: 'Decisions', 'zh-CN': '决定数' } },
        { key: 'approvals', type: 'number', title: { en: 'Approved', 'zh-CN': '批准' } },
        { key: 'rejections', type: 'number', title: { en: 'Rejected', 'zh-CN': '驳回' } },
        { key: 'sentBack', type: 'number', title: { en: 'Sent back', 'zh-CN': '退回修改' } },
        {
          key: 'medianHours',
          type: 'hours',
          title: { en: 'Median hours to decide', 'zh-CN': '决定时长中位数（小时）' },
        },
        { key: 'p90Hours', type: 'hours', title: { en: '90th percentile hours', 'zh-CN': '决定时长 90 分位（小时）' } },
      ],
      rows: rows.map((row) => ({
        level: row.level,
        decisions: row.decisions,
        approvals: row.approvals,
        rejections: row.rejections,
        sentBack: row.sent_back,
        medianHours: row.median_hours,
        p90Hours: row.p90_hours,
      })),
      totals: {
        decisions: rows.reduce((sum, row) => sum + row.decisions, 0),
        approvals: rows.reduce((sum, row) => sum + row.approvals, 0),
        rejections: rows.reduce((sum, row) => sum + row.rejections, 0),
      },
    };
  },
};
