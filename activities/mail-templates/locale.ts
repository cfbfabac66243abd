/** The locales mail templates may be written in; `en` is the fallback every template must have. */
export const MAIL_LOCALES = ['en', 'zh-CN'] as const;
export type MailLocale = (typeof MAIL_LOCALES)[number];
export const FALLBACK_LOCALE: MailLocale = 'en';

export function isMailLocale(value: string): value is MailLocale {
  return (MAIL_LOCALES as readonly string[]).includes(value);
}

/**
 * Picks the locale to render for a requested tag among those a template offers: an exact match
 * (case and `_` forgiven), then the first offered locale of the same language (`zh`, `zh-TW` →
 * `zh-CN`), else `en`.
 */
export function resolveMailLocale(
  requested: string | undefined,
  offered: readonly MailLocale[] = MAIL_LOCALES,
): MailLocale {
  if (!requested) return FALLBACK_LOCALE;
  const tag = requested.trim().replace(/_/g, '-').toLowerCase();
  const exact = offered.find((locale) => locale.toLowerCase() === tag);
  if (exact) return exact;
  const language = tag.split('-')[0];
  return offered.find((locale) => locale.toLowerCase().split('-')[0] === language) ?? FALLBACK_LOCALE;
}
