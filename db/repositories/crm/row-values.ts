import type { Row } from './row-page';

/*
 * Reading raw rows: PostgreSQL returns bigint and numeric as text and the ORM's driver returns
 * timestamps as text, so each is converted once here for the API's JSON.
 */

export function iso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return (value instanceof Date ? value : new Date(String(value))).toISOString();
}

/** A `date` column as yyyy-mm-dd. */
export function isoDay(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}

export function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

export function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}

export function str(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

export async function one(rows: Promise<Row[]>): Promise<Row | null> {
  return (await rows)[0] ?? null;
}

/** A `not null` timestamp column as ISO 8601. */
export function isoAt(value: unknown): string {
  return (value instanceof Date ? value : new Date(String(value))).toISOString();
}
