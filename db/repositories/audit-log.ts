import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditLog } from '../entities';

export interface AuditEntry {
  actor: string;
  action: string;
  subject: string;
  detail?: Record<string, unknown> | null;
  ip?: string | null;
  /** One entry per key: a retry of the same write adds nothing. */
  idempotencyKey: string;
  occurredAt: Date;
}

/**
 * Appends to the audit log, the one writer of `audit_log`. Raw SQL because "insert unless this
 * key exists" must be one statement: two attempts racing must not both insert or both fail.
 * Returns the id of the entry stored under the key, whichever attempt wrote it.
 */
export async function appendAuditEntry(em: EntityManager, entry: AuditEntry): Promise<string> {
  await em.getConnection().execute(
    `insert into audit_log (id, occurred_at, actor, action, subject, detail, ip, idempotency_key)
     values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (idempotency_key) do nothing`,
    [crypto.randomUUID(), entry.occurredAt, entry.actor, entry.action, entry.subject,
      entry.detail ? JSON.stringify(entry.detail) : null, entry.ip ?? null, entry.idempotencyKey],
    'all', em.getTransactionContext(),
  );
  const row = await em.findOneOrFail(AuditLog, { idempotencyKey: entry.idempotencyKey }, { refresh: true });
  return row.id;
}
