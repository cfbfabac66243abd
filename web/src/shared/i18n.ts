import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import sharedEn from './locales/en.json';
import sharedZh from './locales/zh-CN.json';
import { applyLocale, type Locale } from './locale';

type Messages = Record<string, unknown>;

/**
 * Starts i18next with the shared texts (under `common`) and an area's own, in the given language.
 * An area's files must not use the top-level key `common`.
 */
export async function startI18n(area: Record<Locale, Messages>, locale: Locale): Promise<void> {
  await i18next.use(initReactI18next).init({
    resources: {
      en: { translation: { ...area.en, ...sharedEn } },
      'zh-CN': { translation: { ...area['zh-CN'], ...sharedZh } },
    },
    lng: locale,
    fallbackLng: 'en',
    supportedLngs: ['en', 'zh-CN'],
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  await applyLocale(locale);
}
