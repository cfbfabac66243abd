import type { ReportDefinition } from './report-definition';
import { salesFunnelReport } from './sales-funnel';

export * from './report-definition';

/** Every report the API serves, in the order the dashboards show them: the one registry. */
export const REPORTS: readonly ReportDefinition[] = [salesFunnelReport];

export function findReport(name: string): ReportDefinition | undefined {
  return REPORTS.find((report) => report.name === name);
}
