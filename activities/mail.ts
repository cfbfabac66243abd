import { ApplicationFailure } from '@temporalio/activity';
import { Type, type Static } from 'typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import { claimOutboxMail, enqueueMail, recordMailAttempt, type MailClaim } from '../db/repositories/mail-outbox';
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
 * Sends one mail through the outbox. An attempt claims the row (`sending`, counted, committed)
 * before handing the mail to SMTP, so two concurrent attempts of the same send cannot both deliver
 * it and a crash in between is visible; a retry after success finds `sent` and returns without
 * sending. Other activities (templated mail, task mail) send through this.
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
  const enqueued = await enqueueMail(
    em,
    {
      idempotencyKey: key,
      recipient: params.to,
      subject: params.subject,
      text: params.text,
      html: params.html,
      createdAt: now(),
    },
    now(),
    MAIL_SENDING_LEASE_MS,
  );
  // The first attempt inserts the row claimed; a retry (or a concurrent attempt) claims it.
  const claim = enqueued ?? (await claimPatiently(em, key, now));
  if (claim.kind === 'sent') return { outboxId: claim.row.id, messageId: claim.row.messageId, alreadySent: true };
  const row = claim.row;
  if (claim.resend) {
    deps.logger.warn(
      { outboxId: row.id, messageId: row.messageId, attempt: row.attempts },
      'resending a mail that an attempt which died mid-send may have delivered',
    );
  }
  try {
    await deps.mailer.sendMail({
      from: deps.mailFrom,
      to: row.recipient,
      subject: row.subject,
      text: row.textBody,
      html: row.htmlBody ?? undefined,
      // Stable across attempts, so a receiver can recognise a resend after a crash
      // between SMTP acceptance and our `sent` update.
      messageId: row.messageId,
      headers: { 'X-Idempotency-Key': key },
    });
  } catch (error) {
    await recordMailAttempt(em, claim, { error: error instanceof Error ? error.message : String(error) });
    throw error;
  }
  await recordMailAttempt(em, claim, { sentAt: now() });
  return { outboxId: row.id, messageId: row.messageId, alreadySent: false };
}

/**
 * Longer than one SMTP hand-off can take with the transport's timeouts (runtime/mailer.ts:
 * 10 s connect + 10 s greeting + 30 s idle socket), so a live attempt is never taken for dead.
 */
export const MAIL_SENDING_LEASE_MS = 60_000;
const BUSY_WAIT_MS = 10_000;
const BUSY_POLL_MS = 200;

/**
 * Waits briefly while another attempt holds the mail (usually it is sent a moment later, and this
 * attempt then reports `alreadySent`); past that, a retryable failure hands the wait to Temporal.
 */
async function claimPatiently(em: EntityManager, key: string, now: () => Date): Promise<SentOrClaimed> {
  const giveUpAt = Date.now() + BUSY_WAIT_MS;
  for (;;) {
    const claim = await claimOutboxMail(em, key, now(), MAIL_SENDING_LEASE_MS);
    if (claim.kind !== 'busy') return claim;
    if (Date.now() >= giveUpAt) {
      throw ApplicationFailure.create({
        type: 'mail.send-in-progress',
        message: `another attempt is sending this mail until ${claim.until.toISOString()}`,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, BUSY_POLL_MS));
  }
}

type SentOrClaimed = Exclude<MailClaim, { kind: 'busy' }>;

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
