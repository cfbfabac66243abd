import type { TFunction } from 'i18next';
import { ApiError } from './api-client';

/**
 * A failure as a person reads it: a sentence in their language for the kind of problem, then the
 * server's detail (which names the record or the rule) when it has one.
 */
export function problemMessage(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiError)) {
    return t('common.errors.network');
  }
  const known = `common.errors.type.${error.type}`;
  const headline = error.type && t(known, { defaultValue: '' }) ? t(known) : statusHeadline(t, error.status);
  const detail = error.problem?.errors?.map((e) => e.message).join('; ') || error.problem?.detail;
  return detail && detail !== headline ? `${headline} ${detail}` : headline;
}

function statusHeadline(t: TFunction, status: number): string {
  switch (status) {
    case 400:
      return t('common.errors.status.400');
    case 401:
      return t('common.errors.status.401');
    case 403:
      return t('common.errors.status.403');
    case 404:
      return t('common.errors.status.404');
    case 409:
      return t('common.errors.status.409');
    case 422:
      return t('common.errors.status.422');
    case 429:
      return t('common.errors.status.429');
    default:
      return status >= 500 ? t('common.errors.status.500') : t('common.errors.unknown', { status });
  }
}
