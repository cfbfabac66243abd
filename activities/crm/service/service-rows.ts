import { resolveMailLocale, type MailLocale } from '../../mail-templates/locale';

/** Raw `em.execute` rows carry timestamptz as PostgreSQL text (`2025-03-01 09:00:00+00`), which Date parses. */
export function isoOf(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/** The locale mails to this person are written in: the mail templates' own choice (zh… → zh-CN, else en). */
export function localeOf(value: string | null | undefined): MailLocale {
  return resolveMailLocale(value ?? undefined);
}
