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

/** The outbox row of a key, locked for this transaction: whoever holds it is the one sending. */
export function lockOutboxMail(em: EntityManager, idempotencyKey: string): Promise<MailOutbox> {
  return em.findOneOrFail(MailOutbox, { idempotencyKey }, { lockMode: LockMode.PESSIMISTIC_WRITE });
}
