import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import duration from 'dayjs/plugin/duration';
import localizedFormat from 'dayjs/plugin/localizedFormat';
import relativeTime from 'dayjs/plugin/relativeTime';
import i18next from 'i18next';
import { setApiLanguage } from './api-client';

dayjs.extend(duration);
dayjs.extend(relativeTime);
dayjs.extend(localizedFormat);

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

export const isLocale = (value: unknown): value is Locale => LOCALES.includes(value as Locale);

/** The browser's preferred languages mapped onto ours: any Chinese is zh-CN, anything else en. */
export function browserLocale(languages: readonly string[] = navigator.languages): Locale {
  for (const tag of languages) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

/**
 * Switches every language setting together: i18next (the app's texts), dayjs (relative times,
 * formats) and the API's Accept-Language; antd follows through ConfigProvider, which reads
 * i18next's language. One switched alone gives mixed texts like "已超时 30 minutes".
 */
export async function applyLocale(locale: Locale): Promise<void> {
  dayjs.locale(locale === 'zh-CN' ? 'zh-cn' : 'en');
  setApiLanguage(locale);
  document.documentElement.lang = locale;
  await i18next.changeLanguage(locale);
}

export const currentLocale = (): Locale => (isLocale(i18next.language) ? i18next.language : 'en');
