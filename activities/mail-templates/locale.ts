import { DEFAULT_LOCALE, LOCALES, isLocale, matchLocale, type Locale } from '../../contracts/locales';

/** The locales mail templates may be written in: the product's (`contracts/locales.ts`). */
export const MAIL_LOCALES = LOCALES;
export type MailLocale = Locale;
/** The locale every mail template must have. */
export const FALLBACK_LOCALE: MailLocale = DEFAULT_LOCALE;

export function isMailLocale(value: string): value is MailLocale {
  return isLocale(value);
}

/**
 * Picks the locale to render for a requested tag among those a template offers (see
 * `matchLocale`), else `en`.
 */
export function resolveMailLocale(
  requested: string | undefined,
  offered: readonly MailLocale[] = MAIL_LOCALES,
): MailLocale {
  return matchLocale(requested, offered) ?? FALLBACK_LOCALE;
}
