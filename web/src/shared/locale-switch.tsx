import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { applyLocale, currentLocale, LOCALES, type Locale } from './locale';

/** The language picker; `onChange` lets the area remember the choice (the staff app saves it on the user). */
export function LocaleSwitch({ onChange }: { onChange?: (locale: Locale) => void }) {
  const { t } = useTranslation();
  return (
    <Select<Locale>
      data-testid="locale-switch"
      aria-label={t('common.language')}
      size="small"
      value={currentLocale()}
      style={{ width: 100 }}
      options={LOCALES.map((locale) => ({ value: locale, label: t(`common.languages.${locale}`) }))}
      onChange={(locale) => {
        void applyLocale(locale).then(() => onChange?.(locale));
      }}
    />
  );
}
