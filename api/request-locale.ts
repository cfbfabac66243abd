import type { FastifyRequest } from 'fastify';
import { DEFAULT_LOCALE, matchLocale, type Locale } from '../contracts/locales';

/**
 * The language ranges of an Accept-Language header, most preferred first: by `q` (absent = 1),
 * ties in the order given; ranges with q=0 ("not this") and `*` are dropped.
 */
function acceptedTags(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.split(';').map((piece) => piece.trim());
      const q = params.find((param) => /^q=/i.test(param));
      const weight = q === undefined ? 1 : Number(q.slice(2));
      return { tag, weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter(({ tag, weight }) => tag !== '' && tag !== '*' && weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
    .map(({ tag }) => tag);
}

/**
 * The locale an API answer is written in: the Accept-Language header's best match among the
 * product's locales (the web app always sends its UI language there), else the caller's saved
 * locale (user attribute `locale`), else `en`.
 */
export function requestLocale(request: FastifyRequest): Locale {
  const accepted = acceptedLocale(request);
  if (accepted) return accepted;
  const saved = request.principal?.attributes['locale'];
  return matchLocale(typeof saved === 'string' ? saved : null) ?? DEFAULT_LOCALE;
}

/** The Accept-Language header's best match among the product's locales; null without one. */
export function acceptedLocale(request: FastifyRequest): Locale | null {
  for (const tag of acceptedTags(request.headers['accept-language'])) {
    const locale = matchLocale(tag);
    if (locale) return locale;
  }
  return null;
}
