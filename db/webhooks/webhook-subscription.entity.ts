import { defineEntity, p } from '@mikro-orm/postgresql';

/**
 * Where an administrator wants instance and task events POSTed. The secret signs every delivery
 * (Standard Webhooks), so it is kept as issued: the receiver holds the same one to verify.
 * `failingSince` is the first failed attempt since the last success; a subscription failing for
 * longer than the configured days is disabled with a reason.
 */
export const WebhookSubscriptionSchema = defineEntity({
  name: 'WebhookSubscription',
  tableName: 'webhook_subscription',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => crypto.randomUUID()),
    url: p.text(),
    description: p.text().nullable(),
    /** Null: every template. */
    templateKeys: p.array().nullable(),
    eventTypes: p.array(),
    secret: p.text(),
    enabled: p.boolean().default(true),
    disabledReason: p.text().nullable(),
    failingSince: p.datetime().nullable(),
    lastSuccessAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    createdBy: p.text().nullable(),
  },
});

export class WebhookSubscription extends WebhookSubscriptionSchema.class {}
WebhookSubscriptionSchema.setClass(WebhookSubscription);
