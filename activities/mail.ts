import { ApplicationFailure } from '@temporalio/activity';
import { Type, type Static } from 'typebox';
import { enqueueMail, lockOutboxMail } from '../db/repositories/mail-outbox';
import { activityIdempotencyKey, defineActivity } from './activity-definition';
import type { ActivityDeps } from './deps';

export const SendMailParams = Type.Object(
  {
    to: Type.String({ format: 'email', description: 'Recipient address' }),
    subject: Type.String({ minLength: 1, maxLength: 255 }),
    text: Type.String(),
    html: Type.Optional(Type.String()),
    idempotencyKey: Type.Optional(
      Type.String({ minLength: 1, maxLength: 255, description: 'Defaults to the activity execution' }),
    ),
  },
  { additionalProperties: false },
);
export type SendMailParams = Static<typeof SendMailParams>;

export const SendMailResult = Type.Object({
  outboxId: Type.String(),
  messageId: Type.String(),
  alreadySent: Type.Boolean(),
});
export type SendMailResult = Static<typeof SendMailResult>;

const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/;

/**
 * Sends one mail through the outbox. The row is locked while the mail is handed to SMTP, so two
 * concurrent attempts of the same send cannot both deliver it; a retry after success finds `sent`
 * and returns without sending. Other activities (templated mail, task mail) send through this.
 */
export async function sendMail(params: SendMailParams, deps: ActivityDeps): Promise<SendMailResult> {
  if (!EMAIL.test(params.to)) {
    throw ApplicationFailure.create({
      type: 'mail.invalid-recipient',
      message: `not an e-mail address: ${params.to}`,
      nonRetryable: true,
    });
  }
  const key = activityIdempotencyKey(params.idempotencyKey);
  const now = deps.now ?? (() => new Date());
  const em = deps.orm.em.fork();
  await enqueueMail(em, {
    idempotencyKey: key,
    recipient: params.to,
    subject: params.subject,
    text: params.text,
    html: params.html,
    createdAt: now(),
  });
  const outcome = await em.transactional(async (tx): Promise<SendMailResult | { failure: unknown }> => {
    const row = await lockOutboxMail(tx, key);
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
}

export const mailActivities = [
  defineActivity({
    name: 'mail.send',
    contract: {
      description: 'Send one e-mail through the outbox (at most once per idempotency key).',
      params: SendMailParams,
      result: SendMailResult,
    },
    run: sendMail,
  }),
] as const;
