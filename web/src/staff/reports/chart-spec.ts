import type { TFunction } from 'i18next';
import type { ComposeOption } from 'echarts/core';
import type {
  BarSeriesOption,
  FunnelSeriesOption,
  HeatmapSeriesOption,
  LineSeriesOption,
  PieSeriesOption,
} from 'echarts/charts';
import type {
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts/components';
import { formatAxis, formatCell, formatMonth, isMeasure, localized, numberOf } from './report-format';
import type { ColumnType, ReportColumn, ReportResult } from './report-types';

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | FunnelSeriesOption
  | PieSeriesOption
  | HeatmapSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
>;

/**
 * How a report is drawn. `bars` are the measures drawn as bars on the first axis, `lines` those
 * drawn as lines on a second axis (a rate beside counts), each named by column key or by column
 * type; a report whose columns match none still draws its first measure, and every column is in
 * the table whatever the chart shows.
 */
export interface ChartSpec {
  kind: 'bar' | 'line' | 'funnel' | 'pie' | 'heatmap';
  bars?: readonly (ColumnType | string)[];
  lines?: readonly (ColumnType | string)[];
  /** The category columns that name a row on the chart (default: every one, joined). */
  label?: readonly string[];
  /** Measures never charted (a heatmap's row total). */
  skip?: readonly string[];
  /** Categories down the side (long names: products, questions, keywords). */
  horizontal?: boolean;
  /** The measure to draw by key, before any chosen by type (a funnel's cumulative count). */
  value?: string;
  /** Rows left out of the chart (still in the table), by a category column's coded value. */
  omit?: Record<string, readonly string[]>;
}

/** One chart per report (and per variant where a variant changes what is measured). */
const SPECS: Record<string, ChartSpec> = {
  // The stages every opportunity reached on its way to won; lost deals left no stage to draw.
  'sales-funnel': { kind: 'funnel', value: 'reached', omit: { stage: ['lost'] } },
  'lead-conversion': { kind: 'bar', bars: ['number'], lines: ['percent'] },
  sales: { kind: 'bar', bars: ['cents'], label: ['name'], horizontal: true },
  'pipeline-forecast': { kind: 'bar', bars: ['cents'], lines: ['number'] },
  'quote-approvals': { kind: 'bar', bars: ['hours', 'ms'], lines: ['rejections'] },
  'quote-approvals:reasons': { kind: 'pie' },
  'order-fulfilment': { kind: 'bar', bars: ['partial', 'complete'], lines: ['percent'] },
  'ticket-sla': { kind: 'bar', bars: ['percent'], horizontal: true },
  'survey-scores': { kind: 'bar', bars: ['average'], lines: ['percent'], label: ['question'], horizontal: true },
  'survey-scores:trend': { kind: 'bar', bars: ['responses'], lines: ['average'] },
  'survey-scores:low': { kind: 'bar', bars: ['average'], label: ['question', 'region'], horizontal: true },
  'survey-scores:keywords': { kind: 'bar', bars: ['answers'], label: ['keyword'], horizontal: true },
  'open-tasks-heatmap': { kind: 'heatmap', skip: ['total'] },
};

export const chartSpecOf = (name: string, variant?: string): ChartSpec =>
  (variant && SPECS[`${name}:${variant}`]) || SPECS[name] || { kind: 'bar', bars: ['number', 'cents', 'percent'] };

/** What a chart needs to write its numbers in the reader's language. */
export interface ChartContext {
  t: TFunction;
  locale: string;
  /** Narrow screen: legends below, fewer labels. */
  compact?: boolean;
}

const PALETTE = ['#1f5fbf', '#36a36a', '#e8a33d', '#d4533b', '#7a5cc2', '#2fa3b5', '#8c8c8c'];

/** The heatmap's buckets of time to due, in the order they come due. */
export const DUE_BUCKETS = ['overdue', 'under4h', 'under1d', 'under3d', 'later', 'noDue'] as const;

export function chartOptionOf(report: ReportResult, spec: ChartSpec, context: ChartContext): ChartOption {
  switch (spec.kind) {
    case 'funnel':
      return funnelOption(report, spec, context);
    case 'pie':
      return pieOption(report, spec, context);
    case 'heatmap':
      return heatmapOption(report, spec, context);
    default:
      return axisOption(report, spec, context);
  }
}

const categoryColumns = (report: ReportResult) => report.columns.filter((column) => !isMeasure(column.type));
const measureColumns = (report: ReportResult, spec?: ChartSpec) =>
  report.columns.filter((column) => isMeasure(column.type) && !spec?.skip?.includes(column.key));
/** The columns naming a row on the chart: the spec's, when the report has them, else every category. */
function labelColumns(report: ReportResult, spec: ChartSpec): ReportColumn[] {
  const named = categoryColumns(report).filter((column) => spec.label?.includes(column.key));
  return named.length > 0 ? named : categoryColumns(report);
}
const matches = (column: ReportColumn, entries: readonly string[] | undefined) =>
  entries?.includes(column.key) || entries?.includes(column.type);

/** A row's name: its category cells in the reader's language, joined ("technical · high"). */
function categoryLabel(row: ReportResult['rows'][number], columns: ReportColumn[], context: ChartContext): string {
  return columns
    .map((column) => {
      const value = row[column.key];
      if (column.type === 'month' && typeof value === 'string') return formatMonth(context.t, value);
      return formatCell(context.t, context.locale, column, value);
    })
    .join(' · ');
}

const tooltipValue = (context: ChartContext, column: ReportColumn) => (value: unknown) =>
  formatCell(context.t, context.locale, column, typeof value === 'number' ? value : null);

function axisOption(report: ReportResult, spec: ChartSpec, context: ChartContext): ChartOption {
  const rows = chartRows(report, spec);
  const categories = rows.map((row) => categoryLabel(row, labelColumns(report, spec), context));
  const measures = measureColumns(report, spec);
  const bars = measures.filter((column) => matches(column, spec.bars));
  const lines = measures.filter((column) => matches(column, spec.lines) && !bars.includes(column));
  // A report without the measures its spec names still draws its first measure rather than nothing.
  const drawn = bars.length + lines.length > 0 ? { bars, lines } : { bars: measures.slice(0, 1), lines: [] };
  const primary = drawn.bars[0] ?? drawn.lines[0];
  const secondary = drawn.bars.length > 0 ? drawn.lines[0] : undefined;
  const valueAxis = (column: ReportColumn | undefined) => ({
    type: 'value' as const,
    axisLabel: { formatter: (value: number) => formatAxis(context.locale, column?.type ?? 'number', value) },
    splitLine: { show: column === primary },
  });
  const categoryAxis = {
    type: 'category' as const,
    data: categories,
    axisLabel: spec.horizontal
      ? { width: context.compact ? 90 : 160, overflow: 'truncate' as const }
      : { hideOverlap: true, rotate: categories.length > 6 ? 30 : 0 },
    inverse: spec.horizontal,
  };
  const valueAxes = secondary ? [valueAxis(primary), valueAxis(secondary)] : [valueAxis(primary)];
  const series = [
    ...drawn.bars.map((column): BarSeriesOption => ({
      type: 'bar',
      name: localized(column.title, context.locale),
      data: rows.map((row) => numberOf(row[column.key])),
      tooltip: { valueFormatter: tooltipValue(context, column) },
      barMaxWidth: 36,
    })),
    ...drawn.lines.map((column): LineSeriesOption => ({
      type: 'line',
      name: localized(column.title, context.locale),
      data: rows.map((row) => numberOf(row[column.key])),
      tooltip: { valueFormatter: tooltipValue(context, column) },
      ...(secondary ? (spec.horizontal ? { xAxisIndex: 1 } : { yAxisIndex: 1 }) : {}),
      smooth: false,
      symbolSize: 6,
    })),
  ];
  return {
    color: PALETTE,
    tooltip: { trigger: 'axis', confine: true },
    // The legend above the plot: below it, it covered the category names of the axis.
    legend: { type: 'scroll', top: 0 },
    grid: { left: 8, right: 8, top: 40, bottom: 8 },
    xAxis: spec.horizontal ? valueAxes : categoryAxis,
    yAxis: spec.horizontal ? categoryAxis : valueAxes,
    series,
  } as ChartOption;
}

/** The rows a chart draws: those its spec does not leave out. */
const chartRows = (report: ReportResult, spec: ChartSpec) =>
  report.rows.filter(
    (row) => !Object.entries(spec.omit ?? {}).some(([key, values]) => values.includes(String(row[key]))),
  );

function funnelOption(report: ReportResult, spec: ChartSpec, context: ChartContext): ChartOption {
  const categories = labelColumns(report, spec);
  const measures = measureColumns(report);
  const count =
    measures.find((column) => column.key === spec.value) ??
    measures.find((column) => column.type === 'number') ??
    measures[0];
  const rate = measures.find((column) => column.type === 'percent');
  const data = chartRows(report, spec).map((row) => ({
    name: categoryLabel(row, categories, context),
    value: count ? (numberOf(row[count.key]) ?? 0) : 0,
    rate: rate ? numberOf(row[rate.key]) : null,
  }));
  return {
    color: PALETTE,
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (item: unknown) => {
        const { name, value } = item as { name: string; value: number };
        const row = data.find((entry) => entry.name === name);
        const lines = [`${name}: ${count ? formatCell(context.t, context.locale, count, value) : value}`];
        if (rate && row?.rate !== null && row?.rate !== undefined) {
          lines.push(
            `${localized(rate.title, context.locale)}: ${formatCell(context.t, context.locale, rate, row.rate)}`,
          );
        }
        return lines.join('<br/>');
      },
    },
    series: [
      {
        type: 'funnel',
        // Stages in the pipeline's order, as the API lists them: a stage with more deals than the one before stays in place.
        sort: 'none',
        // echarts scales a funnel to 0..100 unless told: widths follow the largest stage instead.
        min: 0,
        max: Math.max(1, ...data.map((entry) => entry.value)),
        left: '5%',
        width: '90%',
        top: 8,
        bottom: 8,
        minSize: '8%',
        gap: 2,
        label: {
          position: 'inside',
          formatter: (item: unknown) => {
            const { name, value } = item as { name: string; value: number };
            return `${name}  ${new Intl.NumberFormat(context.locale).format(value)}`;
          },
        },
        data: data.map(({ name, value }) => ({ name, value })),
      },
    ],
  } as ChartOption;
}

function pieOption(report: ReportResult, spec: ChartSpec, context: ChartContext): ChartOption {
  const categories = labelColumns(report, spec);
  const count = measureColumns(report)[0];
  return {
    color: PALETTE,
    tooltip: { trigger: 'item', confine: true },
    legend: { type: 'scroll', bottom: 0 },
    series: [
      {
        type: 'pie',
        radius: ['35%', '65%'],
        center: ['50%', '45%'],
        label: { show: !context.compact, formatter: '{b}: {d}%' },
        tooltip: count ? { valueFormatter: tooltipValue(context, count) } : undefined,
        data: chartRows(report, spec).map((row) => ({
          name: categoryLabel(row, categories, context),
          value: count ? (numberOf(row[count.key]) ?? 0) : 0,
        })),
      },
    ],
  } as ChartOption;
}

/** The cells of the heatmap: process step (y) × bucket of time to due (x) → open tasks. */
export interface HeatmapCells {
  steps: string[];
  buckets: { key: string; label: string }[];
  /** [bucket index, step index, count] */
  cells: [number, number, number][];
}

/**
 * The report in either shape: wide, as the API gives it (one row per template and step, a count
 * column per bucket), or long (`step, bucket, count` per row).
 */
export function heatmapCellsOf(report: ReportResult, spec: ChartSpec, context: ChartContext): HeatmapCells {
  const categories = categoryColumns(report);
  const measures = measureColumns(report, spec);
  const long = measures.length === 1 && categories.length >= 2;
  const stepColumns = long ? categories.slice(0, -1) : categories;
  const steps: string[] = [];
  const stepIndex = (row: ReportResult['rows'][number]) => {
    const label = categoryLabel(row, stepColumns, context);
    if (!steps.includes(label)) steps.push(label);
    return steps.indexOf(label);
  };
  const bucketColumn = categories.at(-1);
  const count = measures[0];
  if (long && bucketColumn && count) {
    const bucketLabel = (key: string) => {
      const coded = bucketColumn.values?.[key];
      return coded ? localized(coded, context.locale) : context.t(`reports.buckets.${key}`, { defaultValue: key });
    };
    const seen = new Set(report.rows.map((row) => String(row[bucketColumn.key])));
    const keys = [
      ...DUE_BUCKETS.filter((key) => seen.has(key)),
      ...[...seen].filter((key) => !DUE_BUCKETS.includes(key as never)),
    ];
    const cells = report.rows.map((row): [number, number, number] => [
      keys.indexOf(String(row[bucketColumn.key])),
      stepIndex(row),
      numberOf(row[count.key]) ?? 0,
    ]);
    return { steps, buckets: keys.map((key) => ({ key, label: bucketLabel(key) })), cells };
  }
  const buckets = measures.map((column) => ({ key: column.key, label: localized(column.title, context.locale) }));
  const cells = report.rows.flatMap((row) => {
    const y = stepIndex(row);
    return measures.map((column, x): [number, number, number] => [x, y, numberOf(row[column.key]) ?? 0]);
  });
  return { steps, buckets, cells };
}

function heatmapOption(report: ReportResult, spec: ChartSpec, context: ChartContext): ChartOption {
  const { steps, buckets, cells } = heatmapCellsOf(report, spec, context);
  const max = Math.max(1, ...cells.map(([, , value]) => value));
  return {
    tooltip: {
      confine: true,
      formatter: (item: unknown) => {
        const [x, y, value] = (item as { value: [number, number, number] }).value;
        return `${steps[y] ?? ''} · ${buckets[x]?.label ?? ''}: ${new Intl.NumberFormat(context.locale).format(value)}`;
      },
    },
    grid: { left: 8, right: 8, top: 8, bottom: 56 },
    xAxis: { type: 'category', data: buckets.map((bucket) => bucket.label), splitArea: { show: true } },
    yAxis: {
      type: 'category',
      data: steps,
      inverse: true,
      splitArea: { show: true },
      axisLabel: { width: context.compact ? 100 : 200, overflow: 'truncate' },
    },
    visualMap: {
      min: 0,
      max,
      calculable: true,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: context.compact ? 100 : 160,
      inRange: { color: ['#f0f5ff', '#85a5ff', '#1f5fbf', '#d4533b'] },
    },
    series: [
      {
        type: 'heatmap',
        data: cells,
        label: {
          show: true,
          formatter: (item: unknown) => {
            const value = (item as { value: [number, number, number] }).value[2];
            return value ? new Intl.NumberFormat(context.locale).format(value) : '';
          },
        },
        emphasis: { itemStyle: { borderColor: '#333', borderWidth: 1 } },
      },
    ],
  } as ChartOption;
}

/** A height that fits the chart's rows (a heatmap or a horizontal bar grows with its categories). */
export function chartHeightOf(report: ReportResult, spec: ChartSpec, base: number, context: ChartContext): number {
  if (spec.kind === 'heatmap') {
    return Math.max(base, heatmapCellsOf(report, spec, context).steps.length * 30 + 90);
  }
  if (spec.horizontal) return Math.max(base, report.rows.length * 26 + 70);
  return base;
}

/** Whether the report has anything to draw: a row with a measure other than 0 (a funnel of zeros says nothing). */
export const hasFigures = (report: ReportResult): boolean =>
  report.rows.some((row) => measureColumns(report).some((column) => (numberOf(row[column.key]) ?? 0) !== 0));
