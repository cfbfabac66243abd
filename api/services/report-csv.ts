import type { Locale } from '../../contracts/locales';
import type { ReportTable } from '../../db/reports';

/** The byte-order mark that makes Excel read the file as UTF-8 (Chinese titles and names). */
const BOM = '\uFEFF';

function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  // A leading = + - @ would run as a formula in a spreadsheet: a quote in front keeps it text.
  const safe = typeof value === 'string' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * A report as CSV (RFC 4180, CRLF): a header of the column titles in `locale`, coded values
 * (stages, priorities) by their titles too, numbers as they are (percent as a fraction, cents as
 * integers) so a spreadsheet can compute with them.
 */
export function reportCsv(table: ReportTable, locale: Locale): string {
  const lines = [table.columns.map((column) => csvField(column.title[locale])).join(',')];
  for (const row of table.rows) {
    lines.push(
      table.columns
        .map((column) => {
          const value = row[column.key] ?? null;
          const title = typeof value === 'string' ? column.values?.[value]?.[locale] : undefined;
          return csvField(title ?? value);
        })
        .join(','),
    );
  }
  return BOM + lines.join('\r\n') + '\r\n';
}
