import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditLog } from '../entities';

export interface AuditEntry {
  actor: string;
  action: string;
  subject: string;
  detail?: Record<string, unknown> | null;
  ip?: string | null;
  /** An entry with a key is written once: appending the same key again writes nothing. */
  idempotencyKey: string;
  /** Default: now. */
  occurredAt?: Date;
}

/**
 * Appends an audit-log entry in the caller's transaction (the one writer of `audit_log`), once per
 * idempotency key: the insert skips a key written before in the same statement, so a retried step
 * or two racing attempts neither fail nor write twice. Returns the id stored under the key.
 */
export async function appendAuditEntry(em: EntityManager, entry: AuditEntry): Promise<string> {
  await em
    .createQueryBuilder(AuditLog)
    .insert({
      id: randomUUID(),
      actor: entry.actor,
      action: entry.action,
      subject: entry.subject,
      detail: entry.detail ?? null,
      ip: entry.ip ?? null,
      idempotencyKey: entry.idempotencyKey,
      occurredAt: entry.occurredAt ?? new Date(),
    })
    .onConflict('idempotencyKey')
    .ignore()
    .execute('run');
  const stored = await em.findOneOrFail(AuditLog, { idempotencyKey: entry.idempotencyKey }, { refresh: true });
  return stored.id;
}
