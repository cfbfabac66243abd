import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditLog } from '../entities';

export interface AuditEntry {
  actor: string;
  action: string;
  subject: string;
  detail: Record<string, unknown> | null;
  /** An entry with a key is written once: appending the same key again writes nothing. */
  idempotencyKey: string;
}

/**
 * Appends an audit-log entry in the caller's transaction, once per idempotency key: the insert
 * skips a key written before in the one statement, so a retried step does not fail on it.
 */
export async function appendAuditEntry(em: EntityManager, entry: AuditEntry): Promise<void> {
  await em.createQueryBuilder(AuditLog)
    .insert({ id: randomUUID(), ...entry })
    .onConflict('idempotencyKey').ignore()
    .execute('run');
}
