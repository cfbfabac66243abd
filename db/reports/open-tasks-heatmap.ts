import { allOf, filterCondition, type ReportDefinition } from './report-definition';

const BUCKETS = [
  { key: 'overdue', sql: 'due_at < now()', title: { en: 'Overdue', 'zh-CN': '已超时' } },
  { key: 'under4h', sql: `due_at < now() + interval '4 hours'`, title: { en: '< 4 h', 'zh-CN': '< 4 小时' } },
  { key: 'under1d', sql: `due_at < now() + interval '1 day'`, title: { en: '< 1 day', 'zh-CN': '< 1 天' } },
  { key: 'under3d', sql: `due_at < now() + interval '3 days'`, title: { en: '< 3 days', 'zh-CN': '< 3 天' } },
  { key: 'later', sql: 'due_at is not null', title: { en: 'Later', 'zh-CN': '更晚' } },
  { key: 'noDue', sql: 'true', title: { en: 'No due date', 'zh-CN': '无期限' } },
] as const;

/** Open tasks by process step against the time left to their due date: the heatmap's cells. */
export const openTasksHeatmapReport: ReportDefinition = {
  name: 'open-tasks-heatmap',
  title: { en: 'Open tasks by step and time to due', 'zh-CN': '待办任务（按步骤与剩余时间）' },
  description:
    'Open tasks now, per template and step, counted in buckets of time to their due date: overdue, under 4 hours, ' +
    'under 1 day, under 3 days, later, no due date. Owner: the assignee; `template` keeps one template’s tasks. ' +
    'A reader sees the tasks of their inbox (every task with tasks.see-all).',
  right: 'tasks.work',
  records: 'tasks',
  dimensions: { date: null, region: null, owner: 'assignee' },
  params: { template: { description: 'A template key: only its tasks.' } },
  async run(em, filters, params, visible) {
    const template = params['template'];
    const where = allOf(
      filterCondition(filters, this.dimensions),
      visible,
      template === undefined ? { sql: 'true', params: [] } : { sql: 'template_key = ?', params: [template] },
    );
    // Each task falls in the first bucket whose condition holds.
    const bucket = `case ${BUCKETS.map((b) => `when ${b.sql} then '${b.key}'`).join(' ')} end`;
    const counted = await em.execute<{ template_key: string; step_id: string; bucket: string; tasks: number }[]>(
      `select template_key, step_id, ${bucket} as bucket, count(*)::int as tasks
         from task where status = 'open' and ${where.sql}
        group by 1, 2, 3`,
      where.params,
    );
    const steps = new Map<string, Record<string, string | number>>();
    for (const row of counted) {
      const key = `${row.template_key}\u0000${row.step_id}`;
      const step =
        steps.get(key) ??
        Object.fromEntries([
          ['templateKey', row.template_key],
          ['stepId', row.step_id],
          ...BUCKETS.map((b) => [b.key, 0]),
          ['total', 0],
        ]);
      step[row.bucket] = Number(step[row.bucket]) + row.tasks;
      step['total'] = Number(step['total']) + row.tasks;
      steps.set(key, step);
    }
    const rows = [...steps.values()].sort(
      (a, b) =>
        String(a['templateKey']).localeCompare(String(b['templateKey'])) ||
        String(a['stepId']).localeCompare(String(b['stepId'])),
    );
    return {
      columns: [
        { key: 'templateKey', type: 'string', title: { en: 'Template', 'zh-CN': '模板' } },
        { key: 'stepId', type: 'string', title: { en: 'Step', 'zh-CN': '步骤' } },
        ...BUCKETS.map((b) => ({ key: b.key, type: 'number' as const, title: b.title })),
        { key: 'total', type: 'number', title: { en: 'Total', 'zh-CN': '合计' } },
      ],
      rows,
      totals: Object.fromEntries(
        [...BUCKETS.map((b) => b.key), 'total'].map((key) => [
          key,
          rows.reduce((sum, row) => sum + Number(row[key]), 0),
        ]),
      ),
    };
  },
};
