import { ApplicationFailure } from '@temporalio/activity';
import { LockMode } from '@mikro-orm/postgresql';
import { MailOutbox } from '../db/entities';
import type { SendMailParams, SendMailResult } from './catalog';
import type { ActivityDeps } from './deps';
import { activityIdempotencyKey } from './idempotency-key';

const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/;

export function createMailActivities(deps: ActivityDeps) {
  return {
    /**
     * Sends one mail through the outbox. The row is locked while the mail is handed to
     * SMTP, so two concurrent attempts of the same send cannot both deliver it; a retry
     * after success finds `sent` and returns without sending.
     */
    async 'mail.send'(params: SendMailParams): Promise<SendMailResult> {
      if (!EMAIL.test(params.to)) {
        throw ApplicationFailure.create({ type: 'mail.invalid-recipient', message: `not an e-mail address: ${params.to}`, nonRetryable: true });
      }
      const key = activityIdempotencyKey(params.idempotencyKey);
      const now = deps.now ?? (() => new Date());
      const em = deps.orm.em.fork();
      await em.getConnection().execute(
        `insert into mail_outbox (id, idempotency_key, recipient, subject, text_body, html_body, status, message_id, attempts, created_at)
         values (?, ?, ?, ?, ?, ?, 'pending', ?, 0, ?) on conflict (idempotency_key) do nothing`,
        [crypto.randomUUID(), key, params.to, params.subject, params.text, params.html ?? null,
          `<${crypto.randomUUID()}@crm-engine>`, now()],
      );
      const outcome = await em.transactional(async (tx): Promise<SendMailResult | { failure: unknown }> => {
        const row = await tx.findOneOrFail(MailOutbox, { idempotencyKey: key }, { lockMode: LockMode.PESSIMISTIC_WRITE });
        if (row.status === 'sent') return { outboxId: row.id, messageId: row.messageId, alreadySent: true };
        row.attempts += 1;
        try {
          await deps.mailer.sendMail({
            from: deps.mailFrom,
            to: row.recipient,
            subject: row.subject,
            text: row.textBody,
            html: row.htmlBody ?? undefined,
            // Stable across attempts, so a receiver can recognise a resend after a crash
            // between SMTP acceptance and our commit.
            messageId: row.messageId,
            headers: { 'X-Idempotency-Key': key },
          });
        } catch (error) {
          // Returned, not thrown: the attempt count and error must commit before Temporal retries.
          row.lastError = error instanceof Error ? error.message : String(error);
          return { failure: error };
        }
        row.status = 'sent';
        row.sentAt = now();
        row.lastError = null;
        return { outboxId: row.id, messageId: row.messageId, alreadySent: false };
      });
      if ('failure' in outcome) throw outcome.failure;
      return outcome;
    },
  };
}
