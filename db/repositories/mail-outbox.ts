import type { EntityManager } from '@mikro-orm/postgresql';
import { MailOutbox } from '../entities';
import { readOnlyRows } from './read-only-rows';

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
 * attempts of the same send agree on one row (and so on one stable Message-ID). The row goes in
 * already claimed by the attempt that inserts it (`sending`, counted, its lease from `now`, as
 * {@link claimOutboxMail} would take it), which is returned: a first attempt needs no claim of its
 * own. Null when the row was there (an earlier or a concurrent attempt's): claim it then.
 */
export async function enqueueMail(
  em: EntityManager,
  mail: OutgoingMail,
  now: Date,
  leaseMs: number,
): Promise<Extract<MailClaim, { kind: 'claimed' }> | null> {
  const inserted = await em.getConnection().execute<Record<string, unknown>[]>(
    `insert into mail_outbox (id, idempotency_key, recipient, subject, text_body, html_body, status, message_id,
       attempts, sending_until, created_at)
     values (?, ?, ?, ?, ?, ?, 'sending', ?, 1, ?, ?) on conflict (idempotency_key) do nothing returning *`,
    [
      crypto.randomUUID(),
      mail.idempotencyKey,
      mail.recipient,
      mail.subject,
      mail.text,
      mail.html ?? null,
      `<${crypto.randomUUID()}@crm-engine>`,
      new Date(now.getTime() + leaseMs),
      mail.createdAt,
    ],
    'all',
    em.getTransactionContext(),
  );
  return inserted[0] ? { kind: 'claimed', row: readOnlyRows(em, MailOutbox, [inserted[0]])[0]!, resend: false } : null;
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
 * One statement (the row locked, tested and updated at once; every mail of every process passes
 * here, and a transaction of a read and a write was four round trips); only when it takes nothing
 * is the row read again, to say whether it was sent or is held.
 */
export async function claimOutboxMail(
  em: EntityManager,
  idempotencyKey: string,
  now: Date,
  leaseMs: number,
): Promise<MailClaim> {
  const claimed = await em
    .getConnection()
    .execute<(Record<string, unknown> & { previous_status: MailOutbox['status'] })[]>(
      `with before as (select id, status from mail_outbox where idempotency_key = ? for update)
     update mail_outbox mail
        set status = 'sending', attempts = mail.attempts + 1, sending_until = ?,
            possible_duplicate = mail.possible_duplicate or before.status = 'sending'
       from before
      where mail.id = before.id and before.status <> 'sent'
        and (before.status <> 'sending' or mail.sending_until is null or mail.sending_until <= ?)
     returning mail.*, before.status as previous_status`,
      [idempotencyKey, new Date(now.getTime() + leaseMs), now],
      'all',
      em.getTransactionContext(),
    );
  const [taken] = claimed;
  if (taken) {
    const { previous_status: previous, ...row } = taken;
    return { kind: 'claimed', row: readOnlyRows(em, MailOutbox, [row])[0]!, resend: previous === 'sending' };
  }
  const row = await em.findOneOrFail(MailOutbox, { idempotencyKey }, { refresh: true });
  if (row.status === 'sent') return { kind: 'sent', row };
  // Held by a live attempt (or taken and given back in between: the caller's next try claims it).
  return { kind: 'busy', until: row.sendingUntil ?? now };
}

/**
 * Ends a claimed attempt: `sent`, or back to `pending` with the error for the next attempt. One
 * statement: a row another attempt has sent since (this one outlived its lease) is left as it is.
 */
export async function recordMailAttempt(
  em: EntityManager,
  claim: { row: Pick<MailOutbox, 'idempotencyKey'> },
  outcome: { sentAt: Date } | { error: string },
): Promise<void> {
  const [set, params] =
    'sentAt' in outcome
      ? ([`status = 'sent', sent_at = ?, last_error = null`, [outcome.sentAt]] as const)
      : ([`status = 'pending', last_error = ?`, [outcome.error]] as const);
  await em
    .getConnection()
    .execute(
      `update mail_outbox set ${set}, sending_until = null where idempotency_key = ? and status <> 'sent'`,
      [...params, claim.row.idempotencyKey],
      'run',
      em.getTransactionContext(),
    );
}
