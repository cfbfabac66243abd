import type { ReportDefinition } from './report-definition';
import { leadConversionReport } from './lead-conversion';
import { openTasksHeatmapReport } from './open-tasks-heatmap';
import { orderFulfilmentReport } from './order-fulfilment';
import { pipelineForecastReport } from './pipeline-forecast';
import { quoteApprovalsReport } from './quote-approvals';
import { salesReport } from './sales';
import { salesFunnelReport } from './sales-funnel';
import { surveyScoresReport } from './survey-scores';
import { ticketSlaReport } from './ticket-sla';

export * from './report-definition';

/** Every report the API serves, in the order the dashboards show them: the one registry. */
export const REPORTS: readonly ReportDefinition[] = [
  salesFunnelReport,
  leadConversionReport,
  salesReport,
  pipelineForecastReport,
  quoteApprovalsReport,
  orderFulfilmentReport,
  ticketSlaReport,
  surveyScoresReport,
  openTasksHeatmapReport,
];

export function findReport(name: string): ReportDefinition | undefined {
  return REPORTS.find((report) => report.name === name);
}
