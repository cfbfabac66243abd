import { useQuery } from '@tanstack/react-query';
import { api, apiBlob, apiUrl } from '../../shared/api-client';
import type { Page } from '../api-types';
import { reportQueryOf, type ReportSearch } from './report-search';
import type { ReportList, ReportResult } from './report-types';

export const REPORTS_KEY = ['reports'] as const;

/** The reports the person may read (the API lists only those). */
export const useReportList = () =>
  useQuery({
    queryKey: [...REPORTS_KEY, 'list'],
    queryFn: ({ signal }) => api<ReportList>('/reports', { signal }),
    staleTime: 300_000,
  });

/** The report under the filters, and the filters it was not narrowed by because they do not apply to it. */
export interface ReportAnswer {
  report: ReportResult;
  ignored: string[];
}

const COMMON_FILTERS = ['from', 'to', 'region', 'team', 'owner'] as const;

/**
 * One report under the filters. Filters that do not apply to it (the dashboard passes the same to
 * every card; GET /reports lists those each report takes) are dropped and named, so the page can
 * say the numbers are not narrowed by them. Waits for `accepts` (the list still loading).
 */
export function useReport(name: string, search: ReportSearch, accepts: readonly string[] | undefined) {
  const query = reportQueryOf(name, search);
  return useQuery({
    queryKey: [...REPORTS_KEY, name, query, accepts],
    queryFn: async ({ signal }): Promise<ReportAnswer> => {
      const ignored = COMMON_FILTERS.filter((filter) => query[filter] !== undefined && !accepts?.includes(filter));
      const report = await api<ReportResult>(`/reports/${encodeURIComponent(name)}`, {
        query: Object.fromEntries(Object.entries(query).filter(([key]) => !ignored.includes(key as never))),
        signal,
      });
      return { report, ignored: [...ignored] };
    },
    enabled: accepts !== undefined,
    staleTime: 60_000,
    retry: false,
  });
}

/** The API query of the report's CSV: the page's filters but those that do not apply to it. */
const csvQueryOf = (name: string, search: ReportSearch, ignored: readonly string[]) => ({
  ...Object.fromEntries(Object.entries(reportQueryOf(name, search)).filter(([key]) => !ignored.includes(key))),
  format: 'csv',
});

/** The CSV of a report under the same filters as the page (a link one may copy). */
export const csvUrlOf = (name: string, search: ReportSearch, ignored: readonly string[] = []): string =>
  apiUrl(`/reports/${encodeURIComponent(name)}`, csvQueryOf(name, search, ignored));

/**
 * Downloads the CSV through the API client rather than a plain link: its header row is written in
 * the UI language (sent as Accept-Language, which a link would not carry) and an expired access
 * token is refreshed first.
 */
export async function downloadCsv(name: string, search: ReportSearch, ignored: readonly string[] = []): Promise<void> {
  const blob = await apiBlob(`/reports/${encodeURIComponent(name)}`, 'text/csv', {
    query: csvQueryOf(name, search, ignored),
  });
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = csvFileName(name, search);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

const csvFileName = (name: string, { from, to }: ReportSearch): string =>
  [name, from, to].filter(Boolean).join('_') + '.csv';

/** A person the filters offer (owner, team lead) with the region they work in. */
export interface FilterPerson {
  id: string;
  name: string;
  region: string | null;
  managerId: string | null;
  roles: string[];
}

/**
 * The people and regions to filter by, from the user directory everyone may read: owners, teams
 * (a manager and the people they lead) and the regions people work in.
 */
export function useFilterPeople() {
  return useQuery({
    queryKey: [...REPORTS_KEY, 'people'],
    queryFn: async ({ signal }) => {
      const people: FilterPerson[] = [];
      let cursor: string | undefined;
      // A directory is small; four pages of 200 is more than the product has people.
      for (let page = 0; page < 4; page++) {
        const answer = await api<Page<FilterPerson>>('/users', { query: { limit: 200, cursor }, signal });
        people.push(...answer.items);
        if (!answer.nextCursor) break;
        cursor = answer.nextCursor;
      }
      return people;
    },
    staleTime: 300_000,
  });
}
