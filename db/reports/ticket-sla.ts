import { allOf, filterCondition, fractionOf, type ReportDefinition } from './report-definition';

const CATEGORIES = {
  technical: { en: 'Technical', 'zh-CN': '技术' },
  sales: { en: 'Sales', 'zh-CN': '销售' },
  complaint: { en: 'Complaint', 'zh-CN': '投诉' },
  other: { en: 'Other', 'zh-CN': '其他' },
};
const PRIORITIES = {
  low: { en: 'Low', 'zh-CN': '低' },
  normal: { en: 'Normal', 'zh-CN': '普通' },
  high: { en: 'High', 'zh-CN': '高' },
  urgent: { en: 'Urgent', 'zh-CN': '紧急' },
};

/*
 * A deadline is decided once it was met or passed: responded (resolved) by then, or not and the
 * time is past. Attainment counts decided deadlines only, so a fresh ticket does not lower it.
 * Resolved means resolved_at, else closed_at (closed without a resolution step).
 */
const RESPONSE_MET = 't.responded_at <= t.response_due_at';
const RESPONSE_MISSED = `(t.responded_at > t.response_due_at or (t.responded_at is null and t.response_due_at < now()))`;
const RESOLVED_AT = 'coalesce(t.resolved_at, t.closed_at)';
const RESOLUTION_MET = `${RESOLVED_AT} <= t.resolution_due_at`;
const RESOLUTION_MISSED = `(${RESOLVED_AT} > t.resolution_due_at or (${RESOLVED_AT} is null and t.resolution_due_at < now()))`;

/** Tickets by category and priority: SLA attainment for response and resolution, breaches, escalations. */
export const ticketSlaReport: ReportDefinition = {
  name: 'ticket-sla',
  title: { en: 'Ticket SLA', 'zh-CN': '工单 SLA' },
  description:
    'Tickets opened in the period by category and priority: tickets, response and resolution SLA met (of the ' +
    'deadlines decided: met, or missed by now), breaches (tickets missing either), escalations (a task of the ' +
    'ticket’s process escalated at least once) and red alerts. Owner: the assignee; region: the customer’s.',
  right: 'tickets.read',
  records: 'tickets',
  dimensions: { date: 't.created_at', region: 'c.region', owner: 't.assignee_id' },
  async run(em, filters, _params, visible) {
    const where = allOf(filterCondition(filters, this.dimensions), visible);
    const rows = await em.execute<
      {
        category: string;
        priority: string;
        tickets: number;
        response_met: number;
        response_decided: number;
        resolution_met: number;
        resolution_decided: number;
        breaches: number;
        escalations: number;
        red_alerts: number;
      }[]
    >(
      `select t.category, t.priority, count(*)::int as tickets,
              count(*) filter (where ${RESPONSE_MET})::int as response_met,
              count(*) filter (where ${RESPONSE_MET} or ${RESPONSE_MISSED})::int as response_decided,
              count(*) filter (where ${RESOLUTION_MET})::int as resolution_met,
              count(*) filter (where ${RESOLUTION_MET} or ${RESOLUTION_MISSED})::int as resolution_decided,
              count(*) filter (where ${RESPONSE_MISSED} or ${RESOLUTION_MISSED})::int as breaches,
              count(escalated.business_key)::int as escalations,
              count(*) filter (where t.red_alert)::int as red_alerts
         from tickets t
         left join customers c on c.id = t.customer_id
         left join (select distinct pi.business_key from task k join process_instance pi on pi.id = k.instance_id
                     where k.escalation_level > 0) escalated on escalated.business_key = t.id
        where ${where.sql}
        group by t.category, t.priority
        order by array_position(array['technical', 'sales', 'complaint', 'other'], t.category),
                 array_position(array['urgent', 'high', 'normal', 'low'], t.priority)`,
      where.params,
    );
    const sum = (key: keyof (typeof rows)[number]) => rows.reduce((total, row) => total + Number(row[key]), 0);
    return {
      columns: [
        { key: 'category', type: 'string', title: { en: 'Category', 'zh-CN': '类别' }, values: CATEGORIES },
        { key: 'priority', type: 'string', title: { en: 'Priority', 'zh-CN': '优先级' }, values: PRIORITIES },
        { key: 'tickets', type: 'number', title: { en: 'Tickets', 'zh-CN': '工单数' } },
        { key: 'responseMet', type: 'percent', title: { en: 'Response SLA met', 'zh-CN': '响应达标率' } },
        { key: 'resolutionMet', type: 'percent', title: { en: 'Resolution SLA met', 'zh-CN': '解决达标率' } },
        { key: 'breaches', type: 'number', title: { en: 'Breaches', 'zh-CN': '违约数' } },
        { key: 'escalations', type: 'number', title: { en: 'Escalations', 'zh-CN': '升级数' } },
        { key: 'redAlerts', type: 'number', title: { en: 'Red alerts', 'zh-CN': '红色警报' } },
      ],
      rows: rows.map((row) => ({
        category: row.category,
        priority: row.priority,
        tickets: row.tickets,
        responseMet: fractionOf(row.response_met, row.response_decided),
        resolutionMet: fractionOf(row.resolution_met, row.resolution_decided),
        breaches: row.breaches,
        escalations: row.escalations,
        redAlerts: row.red_alerts,
      })),
      totals: {
        tickets: sum('tickets'),
        responseMet: fractionOf(sum('response_met'), sum('response_decided')) ?? 0,
        resolutionMet: fractionOf(sum('resolution_met'), sum('resolution_decided')) ?? 0,
        breaches: sum('breaches'),
        escalations: sum('escalations'),
      },
    };
  },
};
