import { LOCALES, type Locale } from '../dsl/locales';

export { DEFAULT_LOCALE, LOCALES, isLocale } from '../dsl/locales';
export type { Locale } from '../dsl/locales';

/**
 * The locale among `offered` that serves a language tag (BCP 47, as in Accept-Language or a
 * user's saved setting): an exact match (case and `_` forgiven), then the first offered locale of
 * the same language (`zh`, `zh-TW` → `zh-CN`); null when none fits, so the caller decides the
 * fallback.
 */
export function matchLocale(tag: string | null | undefined, offered: readonly Locale[] = LOCALES): Locale | null {
  if (!tag) return null;
  const wanted = tag.trim().replace(/_/g, '-').toLowerCase();
  if (!wanted) return null;
  const exact = offered.find((locale) => locale.toLowerCase() === wanted);
  if (exact) return exact;
  const language = wanted.split('-')[0];
  return offered.find((locale) => locale.toLowerCase().split('-')[0] === language) ?? null;
}
