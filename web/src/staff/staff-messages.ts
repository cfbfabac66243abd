import type { Locale } from '../shared/locale';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';

type Messages = Record<string, unknown>;

// Each area of the staff app (studio, instances, reports, …) keeps its texts in its own
// `<area>/locales/{en,zh-CN}.json` under one top-level key of its own, so areas never edit one file.
const areaFiles = import.meta.glob<Messages>('./*/locales/*.json', { eager: true, import: 'default' });

function messagesIn(locale: Locale, base: Messages): Messages {
  const merged: Messages = { ...base };
  for (const [file, messages] of Object.entries(areaFiles)) {
    if (!file.endsWith(`/locales/${locale}.json`)) continue;
    for (const [key, value] of Object.entries(messages)) {
      if (key in merged) throw new Error(`${file}: top-level key '${key}' is already used by another area`);
      merged[key] = value;
    }
  }
  return merged;
}

/** Every text of the staff app, per language. */
export const STAFF_MESSAGES: Record<Locale, Messages> = {
  en: messagesIn('en', en),
  'zh-CN': messagesIn('zh-CN', zhCN),
};
