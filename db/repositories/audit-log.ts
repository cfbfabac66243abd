import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { currentAuditActor } from '../audit/audit-context';
import { toAuditValues } from '../audit/audit-values';
import { AuditLog } from '../entities';

export interface AuditEntry {
  actor: string;
  onBehalfOf?: string | null;
  action: string;
  subject: string;
  detail?: Record<string, unknown> | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  ip?: string | null;
  requestId?: string | null;
  userAgent?: string | null;
  /** An entry with a key is written once: appending the same key again writes nothing. */
  idempotencyKey?: string | null;
  /** Default: now. */
  occurredAt?: Date;
}

/**
 * Appends an audit-log entry in the caller's transaction (the one writer of `audit_log` outside
 * the unit of work, whose changes AuditSubscriber records), once per idempotency key: the insert
 * skips a key written before in the same statement, so a retried step or two racing attempts
 * neither fail nor write twice. Returns the id stored under the key. The hash chain is extended
 * by the database when the transaction commits.
 */
export async function appendAuditEntry(em: EntityManager, entry: AuditEntry): Promise<string> {
  const id = randomUUID();
  await em
    .createQueryBuilder(AuditLog)
    .insert({
      id,
      actor: entry.actor,
      onBehalfOf: entry.onBehalfOf ?? null,
      action: entry.action,
      subject: entry.subject,
      detail: entry.detail ?? null,
      before: entry.before ? toAuditValues(entry.before) : null,
      after: entry.after ? toAuditValues(entry.after) : null,
      ip: entry.ip ?? null,
      requestId: entry.requestId ?? null,
      userAgent: entry.userAgent ?? null,
      idempotencyKey: entry.idempotencyKey ?? null,
      occurredAt: entry.occurredAt ?? new Date(),
    })
    .onConflict('idempotencyKey')
    .ignore()
    .execute('run');
  if (!entry.idempotencyKey) return id;
  const stored = await em.findOneOrFail(AuditLog, { idempotencyKey: entry.idempotencyKey }, { refresh: true });
  return stored.id;
}

export interface RecordedChange {
  action: string;
  subject: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  detail?: Record<string, unknown> | null;
}

/**
 * Records a change a repository made past the unit of work (a conditional update, an upsert),
 * against the actor of the running request or activity, in the caller's transaction.
 */
export async function recordChange(em: EntityManager, change: RecordedChange): Promise<void> {
  const actor = await currentAuditActor();
  await appendAuditEntry(em, { ...actor, ...change });
}
