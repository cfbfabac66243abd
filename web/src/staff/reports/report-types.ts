/* The reports API's answers (GET /api/v1/reports, GET /api/v1/reports/:name) as the dashboards read them. */

/** A text the API gives in both languages; the page picks the UI language's. */
export interface LocalizedText {
  en: string;
  'zh-CN': string;
}

export interface ReportInfo {
  name: string;
  title: LocalizedText;
  /** The right the report needs (the API lists only those the caller holds). */
  right: string;
  /** The common filters the report takes (`from`, `to`, `region`, `team`, `owner`); others are refused. */
  filters: string[];
}

export interface ReportList {
  items: ReportInfo[];
}

export type ColumnType = 'string' | 'number' | 'percent' | 'cents' | 'date' | 'month' | 'ms' | 'hours';

/** `percent` is a fraction (0.25 = 25 %), `cents` integer money, `month` `YYYY-MM`, `date` `YYYY-MM-DD`. */
export interface ReportColumn {
  key: string;
  type: ColumnType;
  title: LocalizedText;
  /** The titles of a column's coded values (a stage, a priority). */
  values?: Record<string, LocalizedText>;
}

export type ReportCell = string | number | null;

export interface ReportResult {
  name: string;
  filters: Record<string, unknown>;
  columns: ReportColumn[];
  rows: Record<string, ReportCell>[];
  totals?: Record<string, number>;
}
