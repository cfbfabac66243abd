import type { InstanceStatus } from './instance-types';

export const STATUS_FILTERS = ['running', 'incident', 'completed', 'failed', 'cancelled'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

/** The instance list's filters, all in the URL so that a link opens the same list. */
export interface InstanceSearch {
  template?: string;
  version?: number;
  status?: StatusFilter;
  businessKey?: string;
  /** Started on or after this day (YYYY-MM-DD, the viewer's time zone). */
  from?: string;
  /** Started on or before this day. */
  to?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== ''
    ? value.trim()
    : typeof value === 'number'
      ? String(value)
      : undefined;

export function parseInstanceSearch(search: Record<string, unknown>): InstanceSearch {
  const version = Number(search['version']);
  const status = search['status'];
  const from = text(search['from']);
  const to = text(search['to']);
  const template = text(search['template']);
  return {
    template,
    // A version means nothing without its template (the API refuses it).
    version: template && Number.isInteger(version) && version > 0 ? version : undefined,
    status: STATUS_FILTERS.includes(status as StatusFilter) ? (status as StatusFilter) : undefined,
    businessKey: text(search['businessKey']),
    from: from && DAY.test(from) ? from : undefined,
    to: to && DAY.test(to) ? to : undefined,
  };
}

/** The query of GET /instances: days become instants at the viewer's midnights (`to` inclusive). */
export function listQueryOf(search: InstanceSearch): Record<string, string | number | undefined> {
  const midnight = (day: string, addDays = 0) => {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    return new Date(y, m - 1, d + addDays).toISOString();
  };
  return {
    template: search.template,
    version: search.version,
    status: search.status,
    businessKey: search.businessKey,
    startedFrom: search.from ? midnight(search.from) : undefined,
    startedTo: search.to ? midnight(search.to, 1) : undefined,
  };
}

export const STATUS_COLORS: Record<InstanceStatus | 'incident', string> = {
  running: 'processing',
  incident: 'error',
  completed: 'success',
  failed: 'error',
  cancelled: 'default',
};
