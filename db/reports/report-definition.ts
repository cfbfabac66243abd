import type { EntityManager } from '@mikro-orm/postgresql';
import type { Right } from '../../contracts/roles';

/** A text in each of the product's locales: report and column titles. */
export interface ReportTitle {
  en: string;
  'zh-CN': string;
}

/**
 * How a column's values read: `percent` is a fraction (0.25 = 25 %), `cents` integer money,
 * `month` `YYYY-MM`, `date` `YYYY-MM-DD`, `hours` and `ms` durations.
 */
export type ReportColumnType = 'string' | 'number' | 'percent' | 'cents' | 'date' | 'month' | 'ms' | 'hours';

export interface ReportColumn {
  key: string;
  type: ReportColumnType;
  title: ReportTitle;
  /** The titles of a column's coded values (a stage, a priority), for display and CSV. */
  values?: Record<string, ReportTitle>;
}

export type ReportRow = Record<string, string | number | null>;

export interface ReportTable {
  columns: ReportColumn[];
  rows: ReportRow[];
  totals?: Record<string, number>;
}

/**
 * The filters every report takes, as the API resolved them: a period of `YYYY-MM-DD` days (both
 * included), a region, and owner sets that must all hold (the reader's scope, the team asked
 * for, the owner asked for). A report without an owner or region applies only what it has.
 */
export interface ReportFilters {
  from?: string;
  to?: string;
  region?: string;
  ownerSets: readonly (readonly string[])[];
}

/**
 * Whose records a report reads, and so how its reader is scoped (api/access): an owned kind of
 * sales record (own, team's or all), tickets and surveys (every holder of the read right sees
 * every one), or tasks (the reader's inbox, or every task with tasks.see-all).
 */
export type ReportRecords = 'leads' | 'opportunities' | 'quotes' | 'orders' | 'tickets' | 'surveys' | 'tasks';

/** The columns a report's period, region and owner filters apply to; null when the report has none. */
export interface ReportDimensions {
  date: string | null;
  region: string | null;
  owner: string | null;
}

/** The common filters a report takes, from the columns they apply to. */
export function commonFiltersOf(dimensions: ReportDimensions): ('from' | 'to' | 'region' | 'team' | 'owner')[] {
  return [
    ...(dimensions.date ? (['from', 'to'] as const) : []),
    ...(dimensions.region ? (['region'] as const) : []),
    ...(dimensions.owner ? (['team', 'owner'] as const) : []),
  ];
}

/** A parameter of one report besides the common filters: one of `values` (the first is the default), or free text. */
export interface ReportParam {
  description: string;
  values?: readonly string[];
}

/**
 * One report: its name and title, the right and records it reads, the parameters of its own
 * (besides the common filters), and its SQL, which returns
 * the table with its columns (which may depend on the parameters: `sales?by=product`).
 */
export interface ReportDefinition {
  name: string;
  title: ReportTitle;
  description: string;
  right: Right;
  records: ReportRecords;
  dimensions: ReportDimensions;
  params?: Record<string, ReportParam>;
  /**
   * `params` holds every declared parameter (a default when not given); `visible` is a further
   * condition on the report's rows from the reader's scope where owner sets cannot say it (the
   * inbox rule over tasks), else `true`.
   */
  run(
    em: EntityManager,
    filters: ReportFilters,
    params: Readonly<Record<string, string | undefined>>,
    visible: ReportCondition,
  ): Promise<ReportTable>;
}

/** A SQL condition and its positional parameters. */
export interface ReportCondition {
  sql: string;
  params: unknown[];
}

/**
 * The common filters as one condition over the report's dimension columns. Owner sets become
 * `in (…)` lists (an empty set keeps nothing, like an empty scope).
 */
export function filterCondition(filters: ReportFilters, dimensions: ReportDimensions): ReportCondition {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (dimensions.date !== null) {
    if (filters.from !== undefined) {
      parts.push(`${dimensions.date} >= ?::date`);
      params.push(filters.from);
    }
    if (filters.to !== undefined) {
      parts.push(`${dimensions.date} < ?::date + 1`);
      params.push(filters.to);
    }
  }
  if (dimensions.region !== null && filters.region !== undefined) {
    parts.push(`${dimensions.region} = ?`);
    params.push(filters.region);
  }
  if (dimensions.owner !== null) {
    for (const owners of filters.ownerSets) {
      if (owners.length === 0) {
        parts.push('false');
      } else {
        parts.push(`${dimensions.owner} in (?)`);
        params.push([...owners]);
      }
    }
  }
  return { sql: parts.length === 0 ? 'true' : parts.join(' and '), params };
}

/**
 * `join` (to the customers, for their region) when the filters ask for a region, else nothing:
 * only for a join that keeps every row (a left join, or an inner one over a not-null foreign
 * key), which then only costs time when no region is asked.
 */
export function regionJoin(filters: ReportFilters, join: string): string {
  return filters.region === undefined ? '' : join;
}

/** Both conditions. */
export function allOf(...conditions: ReportCondition[]): ReportCondition {
  return { sql: conditions.map((c) => `(${c.sql})`).join(' and '), params: conditions.flatMap((c) => c.params) };
}

/** `part / whole` rounded to four places (a percent column's fraction), null when the whole is 0. */
export function fractionOf(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
}
