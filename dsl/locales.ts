/**
 * The locales templates and the product speak. Defined here, in the lowest layer, because the
 * template language checks locale maps against it; everything above reads it through
 * `contracts/locales.ts`.
 */
export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

/** The locale every text must have and every choice falls back to. */
export const DEFAULT_LOCALE: Locale = 'en';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}
