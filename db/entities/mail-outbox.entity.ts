import { defineEntity, p } from '@mikro-orm/postgresql';

export const MAIL_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/**
 * Every mail goes through this table first. The idempotency key (one per logical send,
 * e.g. workflow + activity) is unique, so a retried activity finds the row it wrote and
 * never sends twice once the row says `sent`. `sending` is committed before the SMTP hand-off:
 * found past `sendingUntil`, the attempt that set it died mid-send and the mail may have gone out.
 */
export const MailOutboxSchema = defineEntity({
  name: 'MailOutbox',
  tableName: 'mail_outbox',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => crypto.randomUUID()),
    idempotencyKey: p.string().unique(),
    recipient: p.string(),
    subject: p.string(),
    textBody: p.text(),
    htmlBody: p.text().nullable(),
    status: p.enum(MAIL_STATUSES).default('pending'),
    messageId: p.string(),
    /** Counted and committed before each SMTP hand-off. */
    attempts: p.integer().default(0),
    /** While `sending`: when the attempt that holds the mail is presumed dead. */
    sendingUntil: p.datetime().nullable(),
    /** An attempt found an earlier one dead mid-send: the recipient may hold two copies (same Message-ID). */
    possibleDuplicate: p.boolean().default(false),
    lastError: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    sentAt: p.datetime().nullable(),
  },
});

export class MailOutbox extends MailOutboxSchema.class {}
MailOutboxSchema.setClass(MailOutbox);
