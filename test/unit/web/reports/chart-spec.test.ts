import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import localizedFormat from 'dayjs/plugin/localizedFormat';
import i18next, { type TFunction } from 'i18next';
import { chartOptionOf, chartSpecOf, heatmapCellsOf } from '../../../../web/src/staff/reports/chart-spec';
import { formatCell, formatMonth } from '../../../../web/src/staff/reports/report-format';
import { parseReportSearch, reportQueryOf } from '../../../../web/src/staff/reports/report-search';
import type { ReportResult } from '../../../../web/src/staff/reports/report-types';

dayjs.extend(localizedFormat);
const web = join(import.meta.dirname, '..', '..', '..', '..', 'web', 'src', 'staff');
const messages = (language: string) => ({
  ...(JSON.parse(readFileSync(join(web, 'locales', `${language}.json`), 'utf8')) as object),
  ...(JSON.parse(readFileSync(join(web, 'reports', 'locales', `${language}.json`), 'utf8')) as object),
});

const i18n = i18next.createInstance();
let en: TFunction;
let zh: TFunction;
beforeAll(async () => {
  await i18n.init({
    resources: { en: { translation: messages('en') }, 'zh-CN': { translation: messages('zh-CN') } },
    lng: 'en',
    interpolation: { escapeValue: false },
  });
  en = i18n.getFixedT('en');
  zh = i18n.getFixedT('zh-CN');
});

/** The sales funnel as the reports API answers it (contract F, with coded stage titles). */
const funnel: ReportResult = {
  name: 'sales-funnel',
  filters: {},
  columns: [
    {
      key: 'stage',
      type: 'string',
      title: { en: 'Stage', 'zh-CN': '阶段' },
      values: {
        prospecting: { en: 'Prospecting', 'zh-CN': '寻找商机' },
        proposal: { en: 'Proposal', 'zh-CN': '方案报价' },
        won: { en: 'Won', 'zh-CN': '赢单' },
        lost: { en: 'Lost', 'zh-CN': '输单' },
      },
    },
    { key: 'opportunities', type: 'number', title: { en: 'Opportunities', 'zh-CN': '商机数' } },
    { key: 'amountCents', type: 'cents', title: { en: 'Amount', 'zh-CN': '金额' } },
    { key: 'reached', type: 'number', title: { en: 'Reached stage', 'zh-CN': '到达该阶段' } },
    { key: 'conversion', type: 'percent', title: { en: 'Conversion', 'zh-CN': '转化' } },
  ],
  rows: [
    { stage: 'prospecting', opportunities: 4, amountCents: 100_000, reached: 9, conversion: 0.5556 },
    { stage: 'proposal', opportunities: 3, amountCents: 250_000, reached: 5, conversion: 0.4 },
    { stage: 'won', opportunities: 2, amountCents: 7_360_000, reached: 2, conversion: null },
    { stage: 'lost', opportunities: 6, amountCents: 0, reached: 6, conversion: null },
  ],
};

type Series = { type: string; data: unknown[]; yAxisIndex?: number; name?: string };
const seriesOf = (option: unknown) => (option as { series: Series[] }).series;

describe('report charts', () => {
  it('draws the funnel from the stages reached, in the reader’s language, without the lost deals', () => {
    const option = chartOptionOf(funnel, chartSpecOf('sales-funnel'), { t: zh, locale: 'zh-CN' });
    const [series] = seriesOf(option);
    expect(series?.type).toBe('funnel');
    expect(series?.data).toEqual([
      { name: '寻找商机', value: 9 },
      { name: '方案报价', value: 5 },
      { name: '赢单', value: 2 },
    ]);
  });

  it('puts a rate beside counts on a second axis', () => {
    const leads: ReportResult = {
      name: 'lead-conversion',
      filters: {},
      columns: [
        { key: 'source', type: 'string', title: { en: 'Source', 'zh-CN': '来源' } },
        { key: 'region', type: 'string', title: { en: 'Region', 'zh-CN': '区域' } },
        { key: 'leads', type: 'number', title: { en: 'Leads', 'zh-CN': '线索' } },
        { key: 'converted', type: 'number', title: { en: 'Converted', 'zh-CN': '已转化' } },
        { key: 'rate', type: 'percent', title: { en: 'Rate', 'zh-CN': '转化率' } },
      ],
      rows: [
        { source: 'web', region: 'east', leads: 10, converted: 4, rate: 0.4 },
        { source: 'fair', region: 'north', leads: 5, converted: 1, rate: 0.2 },
      ],
    };
    const option = chartOptionOf(leads, chartSpecOf('lead-conversion'), { t: en, locale: 'en' });
    const series = seriesOf(option);
    expect(series.map((s) => [s.type, s.name, s.data, s.yAxisIndex])).toEqual([
      ['bar', 'Leads', [10, 5], undefined],
      ['bar', 'Converted', [4, 1], undefined],
      ['line', 'Rate', [0.4, 0.2], 1],
    ]);
    expect((option as { xAxis: { data: string[] } }).xAxis.data).toEqual(['web · east', 'fair · north']);
  });

  it('reads the heatmap long (step, bucket, count) or wide (a column per bucket), buckets in due order', () => {
    const long: ReportResult = {
      name: 'open-tasks-heatmap',
      filters: {},
      columns: [
        { key: 'step', type: 'string', title: { en: 'Step', 'zh-CN': '步骤' } },
        { key: 'bucket', type: 'string', title: { en: 'Due', 'zh-CN': '到期' } },
        { key: 'tasks', type: 'number', title: { en: 'Tasks', 'zh-CN': '任务' } },
      ],
      rows: [
        { step: 'approve', bucket: 'later', tasks: 2 },
        { step: 'approve', bucket: 'overdue', tasks: 5 },
        { step: 'respond', bucket: 'under4h', tasks: 1 },
      ],
    };
    expect(heatmapCellsOf(long, chartSpecOf('open-tasks-heatmap'), { t: zh, locale: 'zh-CN' })).toEqual({
      steps: ['approve', 'respond'],
      buckets: [
        { key: 'overdue', label: '已超时' },
        { key: 'under4h', label: '< 4 小时' },
        { key: 'later', label: '更晚' },
      ],
      cells: [
        [2, 0, 2],
        [0, 0, 5],
        [1, 1, 1],
      ],
    });
    // As the API gives it: a row per template and step, a column per bucket and the row's total.
    const wide: ReportResult = {
      name: 'open-tasks-heatmap',
      filters: {},
      columns: [
        { key: 'templateKey', type: 'string', title: { en: 'Template', 'zh-CN': '模板' } },
        { key: 'stepId', type: 'string', title: { en: 'Step', 'zh-CN': '步骤' } },
        { key: 'overdue', type: 'number', title: { en: 'Overdue', 'zh-CN': '已超时' } },
        { key: 'later', type: 'number', title: { en: 'Later', 'zh-CN': '更晚' } },
        { key: 'total', type: 'number', title: { en: 'Total', 'zh-CN': '合计' } },
      ],
      rows: [
        { templateKey: 'quote-approval', stepId: 'approve', overdue: 5, later: 2, total: 7 },
        { templateKey: 'ticket', stepId: 'respond', overdue: 0, later: 1, total: 1 },
      ],
    };
    expect(heatmapCellsOf(wide, chartSpecOf('open-tasks-heatmap'), { t: en, locale: 'en' })).toEqual({
      steps: ['quote-approval · approve', 'ticket · respond'],
      buckets: [
        { key: 'overdue', label: 'Overdue' },
        { key: 'later', label: 'Later' },
      ],
      cells: [
        [0, 0, 5],
        [1, 0, 2],
        [0, 1, 0],
        [1, 1, 1],
      ],
    });
  });
});

describe('report numbers in the reader’s language', () => {
  it('writes fractions as percentages, cents as amounts, months through dayjs and coded values by title', () => {
    dayjs.locale('zh-cn');
    expect(formatCell(zh, 'zh-CN', { type: 'percent' }, 0.5556)).toBe('55.6%');
    expect(formatCell(zh, 'zh-CN', { type: 'cents' }, 7_360_000)).toBe('73,600.00');
    expect(formatMonth(zh, '2026-03')).toBe('2026年3月');
    expect(formatCell(zh, 'zh-CN', { type: 'hours' }, 12.25)).toBe('12.3 小时');
    expect(formatCell(zh, 'zh-CN', funnel.columns[0]!, 'won')).toBe('赢单');
    expect(formatCell(zh, 'zh-CN', { type: 'number' }, null)).toBe('—');
    dayjs.locale('en');
    expect(formatMonth(en, '2026-03')).toBe('Mar 2026');
    expect(formatCell(en, 'en', { type: 'number' }, 12345)).toBe('12,345');
  });
});

describe('report filters in the URL', () => {
  it('keeps only well-formed filters and sends a variant only when it is not the report’s default', () => {
    const search = parseReportSearch({
      from: '2026-01-01',
      to: 'yesterday',
      region: ' east ',
      by: 'product',
      view: 'x',
    });
    expect(search).toEqual({
      from: '2026-01-01',
      to: undefined,
      region: 'east',
      team: undefined,
      owner: undefined,
      by: 'product',
      view: 'x',
    });
    expect(reportQueryOf('sales', search)).toMatchObject({ from: '2026-01-01', region: 'east', by: 'product' });
    expect(reportQueryOf('sales', { by: 'region' })).not.toHaveProperty('by');
    expect(reportQueryOf('sales-funnel', search)).not.toHaveProperty('by');
  });
});
