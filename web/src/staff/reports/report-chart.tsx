import { BarChart, FunnelChart, HeatmapChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { chartHeightOf, chartOptionOf, type ChartSpec } from './chart-spec';
import type { ReportResult } from './report-types';

// Only the charts the reports draw: the whole of echarts is twice the size.
echarts.use([
  BarChart,
  LineChart,
  FunnelChart,
  PieChart,
  HeatmapChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export interface ReportChartProps {
  report: ReportResult;
  spec: ChartSpec;
  /** Height before the chart grows to fit its rows. */
  height: number;
  compact?: boolean;
}

/** A report drawn with echarts (loaded with React.lazy: the inbox never downloads it). */
export default function ReportChart({ report, spec, height, compact }: ReportChartProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const option = useMemo(() => chartOptionOf(report, spec, { t, locale, compact }), [report, spec, t, locale, compact]);
  return (
    <ReactEChartsCore
      echarts={echarts}
      option={option}
      notMerge
      // echarts' own texts (none shown today, but a toolbox would) in the UI language; it knows EN and ZH.
      opts={{ locale: locale === 'zh-CN' ? 'ZH' : 'EN' }}
      style={{ height: chartHeightOf(report, spec, height, { t, locale }), width: '100%' }}
      data-testid={`chart-${report.name}`}
    />
  );
}
