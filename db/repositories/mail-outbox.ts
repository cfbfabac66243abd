import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { MailOutbox } from '../entities';

export interface OutgoingMail {
  idempotencyKey: string;
  recipient: string;
  subject: string;
  text: string;
  html?: string | undefined;
  createdAt: Date;
}

/**
 * Puts a mail into the outbox unless one with its key is there, in one statement so concurrent
 * attempts of the same send agree on one row (and so on one stable Message-ID).
 */
export async function enqueueMail(em: EntityManager, mail: OutgoingMail): Promise<void> {
  await em.getConnection().execute(
    `insert into mail_outbox (id, idempotency_key, recipient, subject, text_body, html_body, status, message_id, attempts, created_at)
     values (?, ?, ?, ?, ?, ?, 'pending', ?, 0, ?) on conflict (idempotency_key) do nothing`,
    [
      crypto.randomUUID(),
      mail.idempotencyKey,
      mail.recipient,
      mail.subject,
      mail.text,
      mail.html ?? null,
      `<${crypto.randomUUID()}@crm-engine>`,
      mail.createdAt,
    ],
    'all',
    em.getTransactionContext(),
  );
}

/** The outbox row of a key, locked for this transaction and read afresh (another attempt may have changed it). */
export function lockOutboxMail(em: EntityManager, idempotencyKey: string): Promise<MailOutbox> {
  return em.findOneOrFail(MailOutbox, { idempotencyKey }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
}

/** What an attempt may do with a mail: nothing (sent), wait (another attempt holds it), or send. */
export type MailClaim =
  | { kind: 'sent'; row: MailOutbox }
  | { kind: 'busy'; until: Date }
  /** `resend`: an earlier attempt died mid-send, so this one may deliver a second copy. */
  | { kind: 'claimed'; row: MailOutbox; resend: boolean };

/**
 * Takes the mail for one SMTP hand-off: `sending`, the attempt counted and a lease, committed
 * before anything is sent, so no transaction is held open across SMTP and a crash mid-send leaves
 * the row `sending`. A `sending` row past its lease means the attempt that took it died after
 * perhaps handing the mail over: this attempt counts itself and flags a possible duplicate.
 */
export async function claimOutboxMail(
  em: EntityManager,
  idempotencyKey: string,
  now: Date,
  leaseMs: number,
): Promise<MailClaim> {
  return em.transactional(async (tx) => {
    const row = await lockOutboxMail(tx, idempotencyKey);
    if (row.status === 'sent') return { kind: 'sent', row };
    if (row.status === 'sending' && row.sendingUntil && row.sendingUntil > now) {
      return { kind: 'busy', until: row.sendingUntil };
    }
    const resend = row.status === 'sending';
    if (resend) row.possibleDuplicate = true;
    row.status = 'sending';
    row.attempts += 1;
    row.sendingUntil = new Date(now.getTime() + leaseMs);
    return { kind: 'claimed', row, resend };
  });
}

/** Ends a claimed attempt: `sent`, or back to `pending` with the error for the next attempt. */
export async function recordMailAttempt(
  em: EntityManager,
  claim: { row: MailOutbox },
  outcome: { sentAt: Date } | { error: string },
): Promise<void> {
  await em.transactional(async (tx) => {
    const row = await lockOutboxMail(tx, claim.row.idempotencyKey);
    // Another attempt may have taken over after this one outlived its lease and sent it since.
    if (row.status === 'sent') return;
    row.sendingUntil = null;
    if ('sentAt' in outcome) {
      row.status = 'sent';
      row.sentAt = outcome.sentAt;
      row.lastError = null;
    } else {
      row.status = 'pending';
      row.lastError = outcome.error;
    }
  });
}
