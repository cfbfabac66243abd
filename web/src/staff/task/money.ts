import { currentLocale } from '../../shared/locale';

/** Cents as an amount with two decimals, grouped the way the UI language writes numbers. */
export const formatCents = (cents: number | null | undefined): string =>
  cents === null || cents === undefined
    ? '—'
    : new Intl.NumberFormat(currentLocale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(
        cents / 100,
      );

export const formatPercent = (percent: number | null | undefined): string =>
  percent === null || percent === undefined
    ? '—'
    : `${new Intl.NumberFormat(currentLocale(), { maximumFractionDigits: 2 }).format(percent)} %`;
