import type { EntityManager } from '@mikro-orm/postgresql';
import { WebhookSubscription } from './webhook-subscription.entity';

export interface NewWebhookSubscription {
  url: string;
  description: string | null;
  templateKeys: string[] | null;
  eventTypes: string[];
  secret: string;
  createdBy: string;
}

export interface WebhookSubscriptionChange {
  url?: string;
  description?: string | null;
  templateKeys?: string[] | null;
  eventTypes?: string[];
  /** True re-enables a disabled subscription: its failure streak starts afresh. */
  enabled?: boolean;
}

/** One attempt of the delivery log, newest first. */
export interface WebhookAttemptEntry {
  id: number;
  eventId: string;
  eventType: string;
  instanceId: string | null;
  attempt: number;
  at: Date;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  /** The delivery's state now: `delivered`, or `pending` while it is still retried. */
  deliveryStatus: 'pending' | 'delivered';
}

/**
 * Webhook subscriptions: written through the unit of work, so the audit trail records every
 * change (the secret as `[redacted]`); read raw only for the delivery log.
 */
export class WebhookSubscriptionRepository {
  async create(em: EntityManager, fields: NewWebhookSubscription): Promise<WebhookSubscription> {
    const subscription = em.create(WebhookSubscription, { ...fields, enabled: true });
    await em.flush();
    return subscription;
  }

  list(em: EntityManager): Promise<WebhookSubscription[]> {
    return em.find(WebhookSubscription, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  get(em: EntityManager, id: string): Promise<WebhookSubscription | null> {
    return em.findOne(WebhookSubscription, { id });
  }

  async update(
    em: EntityManager,
    subscription: WebhookSubscription,
    change: WebhookSubscriptionChange,
  ): Promise<WebhookSubscription> {
    if (change.url !== undefined) subscription.url = change.url;
    if (change.description !== undefined) subscription.description = change.description;
    if (change.templateKeys !== undefined) subscription.templateKeys = change.templateKeys;
    if (change.eventTypes !== undefined) subscription.eventTypes = change.eventTypes;
    if (change.enabled === true && !subscription.enabled) {
      subscription.enabled = true;
      subscription.disabledReason = null;
      subscription.failingSince = null;
    } else if (change.enabled === false) {
      subscription.enabled = false;
      subscription.disabledReason = 'Disabled by an administrator';
    }
    await em.flush();
    return subscription;
  }

  async rotateSecret(em: EntityManager, subscription: WebhookSubscription, secret: string): Promise<void> {
    subscription.secret = secret;
    await em.flush();
  }

  async remove(em: EntityManager, subscription: WebhookSubscription): Promise<void> {
    em.remove(subscription);
    await em.flush();
  }

  /**
   * The subscription's attempts, newest first, `before` an attempt id for the next page. Raw SQL:
   * the log is an append-only table read with its delivery, never mapped to entities.
   */
  async attempts(
    em: EntityManager,
    subscriptionId: string,
    page: { limit: number; before?: number },
  ): Promise<WebhookAttemptEntry[]> {
    const rows = await em.execute<
      {
        id: string;
        event_id: string;
        event_type: string;
        instance_id: string | null;
        attempt: number;
        at: Date;
        status_code: number | null;
        duration_ms: number;
        error: string | null;
        status: 'pending' | 'delivered';
      }[]
    >(
      `select attempt.id, delivery.event_id, delivery.event_type, delivery.instance_id, attempt.attempt, attempt.at,
              attempt.status_code, attempt.duration_ms, attempt.error, delivery.status
         from webhook_attempt attempt join webhook_delivery delivery on delivery.id = attempt.delivery_id
        where attempt.subscription_id = ? and (?::bigint is null or attempt.id < ?::bigint)
        order by attempt.id desc limit ?`,
      [subscriptionId, page.before ?? null, page.before ?? null, page.limit],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      eventId: row.event_id,
      eventType: row.event_type,
      instanceId: row.instance_id,
      attempt: row.attempt,
      at: new Date(row.at),
      statusCode: row.status_code,
      durationMs: row.duration_ms,
      error: row.error,
      deliveryStatus: row.status,
    }));
  }
}
