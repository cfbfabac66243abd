/**
 * The filters of a report page, all of them in the URL so that a link opens the same numbers. The
 * period is two calendar days (`YYYY-MM-DD`, both included); region, team (a manager's user id:
 * the people they lead) and owner (a user id) narrow within what the reader may see anyway.
 * `by` and `view` choose among a report's own variants (sales by region, product or rep; survey
 * scores per question, trend, low scores or keywords; quote approvals per level or reasons).
 */
export interface ReportSearch {
  from?: string;
  to?: string;
  region?: string;
  team?: string;
  owner?: string;
  by?: string;
  view?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = (value: unknown): string | undefined => (typeof value === 'string' && DAY.test(value) ? value : undefined);
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

export function parseReportSearch(search: Record<string, unknown>): ReportSearch {
  return {
    from: day(search['from']),
    to: day(search['to']),
    region: text(search['region']),
    team: text(search['team']),
    owner: text(search['owner']),
    by: text(search['by']),
    view: text(search['view']),
  };
}

/** The filters every report takes (the dashboard passes these to each of its cards). */
export const sharedFilters = ({ from, to, region, team, owner }: ReportSearch): ReportSearch => ({
  from,
  to,
  region,
  team,
  owner,
});

/** The report's variants offered as a switch; the first is what the API answers without the parameter. */
export const REPORT_VARIANTS: Record<string, { param: 'by' | 'view'; values: readonly string[] }> = {
  sales: { param: 'by', values: ['region', 'product', 'rep'] },
  'quote-approvals': { param: 'view', values: ['levels', 'reasons'] },
  'survey-scores': { param: 'view', values: ['questions', 'trend', 'low', 'keywords'] },
};

/** The query string of the API call for a report under these filters (only the report's own variant). */
export function reportQueryOf(name: string, search: ReportSearch): Record<string, string | undefined> {
  const variant = REPORT_VARIANTS[name];
  const query: Record<string, string | undefined> = { ...sharedFilters(search) };
  if (variant) {
    const chosen = search[variant.param];
    // The first variant is the report's default: not sent, so the API's own default stays the one.
    if (chosen && variant.values.includes(chosen) && chosen !== variant.values[0]) query[variant.param] = chosen;
  }
  return query;
}

/** The variant shown: the one in the URL when the report has it, else its first. */
export function variantOf(name: string, search: ReportSearch): string | undefined {
  const variant = REPORT_VARIANTS[name];
  if (!variant) return undefined;
  const chosen = search[variant.param];
  return chosen && variant.values.includes(chosen) ? chosen : variant.values[0];
}
