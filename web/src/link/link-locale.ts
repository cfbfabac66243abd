import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import localizedFormat from 'dayjs/plugin/localizedFormat';
import relativeTime from 'dayjs/plugin/relativeTime';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';
import type { LinkLocale } from './link-api';

/*
 * The three language settings of the page switch together: i18next for our strings, dayjs for
 * dates (otherwise "2 days ago" stays English in Chinese), and antd's ConfigProvider locale (set
 * by LinkApp from `locale`). Nothing is saved: a customer has no account to save it to.
 */

dayjs.extend(localizedFormat);
dayjs.extend(relativeTime);

export const LINK_LOCALES: readonly LinkLocale[] = ['en', 'zh-CN'];

export function isLinkLocale(value: unknown): value is LinkLocale {
  return value === 'en' || value === 'zh-CN';
}

export function initLinkI18n(locale: LinkLocale): typeof i18next {
  void i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
    lng: locale,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  applyDayjsLocale(locale);
  return i18next;
}

export function switchLinkLocale(locale: LinkLocale): void {
  void i18next.changeLanguage(locale);
  applyDayjsLocale(locale);
  document.documentElement.lang = locale;
}

function applyDayjsLocale(locale: LinkLocale): void {
  dayjs.locale(locale === 'zh-CN' ? 'zh-cn' : 'en');
}

/** The browser's language as one of ours, for the moment before the link says the customer's. */
export function browserLocale(): LinkLocale {
  return navigator.languages.some((tag) => tag.toLowerCase().startsWith('zh')) &&
    !navigator.languages[0]?.toLowerCase().startsWith('en')
    ? 'zh-CN'
    : 'en';
}

/** A point in time in the page's language, e.g. "December 8, 2026 2:30 PM" / "2026年12月8日 14:30". */
export function formatTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('LLL') : '';
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('LL') : '';
}
