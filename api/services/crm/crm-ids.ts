import { randomUUID } from 'node:crypto';

/** A readable id: a type prefix and 12 hex digits of a random UUID (`L-3F9A0C21B7D4`). */
export function newCrmId(prefix: string): string {
  return `${prefix}-${randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}`;
}
