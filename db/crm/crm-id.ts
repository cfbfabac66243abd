import { randomUUID } from 'node:crypto';

/**
 * The one id format of every CRM record, whoever creates it (the API or a process): a type
 * prefix and 12 hex digits of a random UUID (`L-3F9A0C21B7D4`). Each aggregate's repository
 * names its prefix; ids written before this format (`cust-<uuid>`, `ord-…`) stay readable,
 * since ids are opaque text everywhere else.
 */
export function newCrmId(prefix: string): string {
  return `${prefix}-${randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}`;
}
