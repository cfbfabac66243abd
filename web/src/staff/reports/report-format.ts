import dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import { compactDuration } from '../due-format';
import type { ColumnType, LocalizedText, ReportCell, ReportColumn } from './report-types';

/** The text of the UI language, English when it has none. */
export const localized = (text: LocalizedText, locale: string): string =>
  (locale === 'zh-CN' ? text['zh-CN'] : text.en) || text.en;

/** Column types whose values are measured (charted and totalled); the others name what is measured. */
export const MEASURE_TYPES: readonly ColumnType[] = ['number', 'percent', 'cents', 'ms', 'hours'];
export const isMeasure = (type: ColumnType) => MEASURE_TYPES.includes(type);

/**
 * A cell as a person reads it in their language: numbers grouped by Intl, months and dates
 * through dayjs in the UI locale, durations in units of the language.
 */
export function formatCell(
  t: TFunction,
  locale: string,
  column: Pick<ReportColumn, 'type' | 'values'>,
  value: ReportCell | undefined,
): string {
  if (value === null || value === undefined || value === '') return '—';
  const { type } = column;
  const coded = column.values?.[String(value)];
  if (coded) return localized(coded, locale);
  if (typeof value === 'string' && type !== 'string' && type !== 'date' && type !== 'month') {
    const number = Number(value);
    if (!Number.isFinite(number)) return value;
    value = number;
  }
  switch (type) {
    case 'string':
      return String(value);
    case 'number':
      return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(Number(value));
    case 'percent':
      return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(Number(value));
    case 'cents':
      return new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(
        Number(value) / 100,
      );
    case 'hours':
      return t('reports.format.hours', {
        value: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(Number(value)),
      });
    case 'ms':
      return compactDuration(t, Number(value));
    case 'month':
      return formatMonth(t, String(value));
    case 'date':
      return dayjs(String(value)).isValid() ? dayjs(String(value)).format('LL') : String(value);
  }
}

/** `2026-03` (or a date in it) as "Mar 2026" / "2026年3月", through dayjs in the UI locale. */
export function formatMonth(t: TFunction, value: string): string {
  const month = dayjs(/^\d{4}-\d{2}$/.test(value) ? `${value}-01` : value);
  return month.isValid() ? month.format(t('reports.format.month')) : value;
}

/**
 * An axis tick: short ("7.4万", "74K") in the language's compact notation; cents as the amount
 * they stand for, percentages with their sign.
 */
export function formatAxis(locale: string, type: ColumnType, value: number): string {
  const compact = (n: number) =>
    new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(n);
  switch (type) {
    case 'cents':
      return compact(value / 100);
    case 'percent':
      return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(value);
    default:
      return compact(value);
  }
}

/** A cell as a number to chart (null when it has none). */
export function numberOf(value: ReportCell | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const number = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(number) ? number : null;
}
