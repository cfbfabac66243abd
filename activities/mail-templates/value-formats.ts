import type { MailLocale } from './locale';

/*
 * Numbers and dates as the reader of a mail writes them. Processes hand mails raw values (cents,
 * ISO dates) so that one template expression serves every language; the mail template, written
 * per locale, says where a value is money or a date. The engine keeps time in UTC, so dates are
 * shown in UTC and say so.
 */

const INTL_LOCALE: Record<MailLocale, string> = { en: 'en-GB', 'zh-CN': 'zh-CN' };
const UTC_LABEL: Record<MailLocale, string> = { en: 'UTC', 'zh-CN': '（协调世界时）' };

/**
 * One formatter per locale and kind, made on first use: building an Intl formatter loads the
 * locale's data and costs far more than formatting with it, and every mail formats a few values.
 */
function formatterCache<F>(make: (intlLocale: string) => F): (locale: MailLocale) => F {
  const made = new Map<MailLocale, F>();
  return (locale) => {
    let formatter = made.get(locale);
    if (!formatter) {
      formatter = make(INTL_LOCALE[locale]);
      made.set(locale, formatter);
    }
    return formatter;
  };
}

const moneyFormat = formatterCache(
  (intlLocale) => new Intl.NumberFormat(intlLocale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
);
const dateFormat = formatterCache(
  (intlLocale) => new Intl.DateTimeFormat(intlLocale, { dateStyle: 'medium', timeZone: 'UTC' }),
);
const dateTimeFormat = formatterCache(
  (intlLocale) =>
    new Intl.DateTimeFormat(intlLocale, { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23', timeZone: 'UTC' }),
);

/** Cents as an amount with two decimals, grouped as the locale groups digits. */
export function formatMailMoney(cents: number, locale: MailLocale): string {
  return moneyFormat(locale).format(cents / 100);
}

/** A calendar day (`2026-12-01` or any ISO instant, read in UTC): `1 Dec 2026`, `2026年12月1日`. */
export function formatMailDate(value: Date, locale: MailLocale): string {
  return dateFormat(locale).format(value);
}

/** An instant to the minute, in UTC: `1 Dec 2026, 10:00 UTC`, `2026年12月1日 10:00（协调世界时）`. */
export function formatMailDateTime(value: Date, locale: MailLocale): string {
  const shown = dateTimeFormat(locale).format(value);
  return locale === 'en' ? `${shown} ${UTC_LABEL.en}` : `${shown}${UTC_LABEL[locale]}`;
}

type Lambda = () => (text: string, render: (text: string) => string) => string;

/**
 * Mustache sections a template wraps a value in to format it for its reader:
 * `{{#formatMoney}}{{totalCents}}{{/formatMoney}}`, `{{#formatDate}}…`, `{{#formatDateTime}}…`.
 * What is not a number or a date is left as it was given.
 */
export function mailFormatters(locale: MailLocale): Record<string, Lambda> {
  const section =
    (format: (raw: string) => string | null): Lambda =>
    () =>
    (text, render) => {
      const raw = render(text).trim();
      return format(raw) ?? raw;
    };
  const asDate = (raw: string) => {
    const date = /^\d{4}-\d{2}-\d{2}/.test(raw) ? new Date(raw) : null;
    return date && !Number.isNaN(date.getTime()) ? date : null;
  };
  return {
    formatMoney: section((raw) => (/^-?\d+(\.\d+)?$/.test(raw) ? formatMailMoney(Number(raw), locale) : null)),
    formatDate: section((raw) => {
      const date = asDate(raw);
      return date ? formatMailDate(date, locale) : null;
    }),
    formatDateTime: section((raw) => {
      const date = asDate(raw);
      return date ? formatMailDateTime(date, locale) : null;
    }),
  };
}
