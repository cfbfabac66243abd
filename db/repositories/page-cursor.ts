import { DomainError } from '../../contracts/failures';

/**
 * Opaque keyset cursors: the sort position of the last row of a page, as the database printed
 * it (so a timestamp keeps its microseconds), base64url-encoded so clients treat it as a token.
 */
export interface PagePosition {
  at: string;
  id: string;
}

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Thrown for a cursor this code did not issue; the API answers 400. */
export class InvalidCursorError extends DomainError {
  constructor(cursor: string) {
    super('cursor.invalid', `not a valid page cursor: ${cursor.slice(0, 80)}`);
    this.name = 'InvalidCursorError';
  }
}

// PostgreSQL's text form of a timestamptz (or ISO 8601): checked here so a forged cursor is a 400, not a SQL error.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2}){0,2})$/;

export function encodeCursor(position: PagePosition): string {
  return Buffer.from(JSON.stringify([position.at, position.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): PagePosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError(cursor);
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw new InvalidCursorError(cursor);
  const [at, id] = parsed as unknown[];
  if (typeof at !== 'string' || typeof id !== 'string' || !TIMESTAMP.test(at)) {
    throw new InvalidCursorError(cursor);
  }
  return { at, id };
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export function pageSize(limit: number | undefined): number {
  // Always an integer: list queries write it into their text.
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_PAGE_SIZE;
  return Math.min(Math.max(Math.trunc(limit), 1), MAX_PAGE_SIZE);
}
