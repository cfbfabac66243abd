import { defineEntity, p } from '@mikro-orm/postgresql';

export const MAIL_STATUSES = ['pending', 'sent', 'failed'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/**
 * Every mail goes through this table first. The idempotency key (one per logical send,
 * e.g. workflow + activity) is unique, so a retried activity finds the row it wrote and
 * never sends twice once the row says `sent`.
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
    attempts: p.integer().default(0),
    lastError: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    sentAt: p.datetime().nullable(),
  },
});

export class MailOutbox extends MailOutboxSchema.class {}
MailOutboxSchema.setClass(MailOutbox);
