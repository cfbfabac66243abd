import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { TimelineEntry } from '../../contracts/engine';
import { WEBHOOK_PING, webhookEventOf, type WebhookPayload } from '../../contracts/webhook-events';

/** The instance a batch of timeline entries belongs to, as the projection write knows it. */
export interface WebhookInstance {
  instanceId: string;
  templateKey: string;
  version: number;
  businessKey: string | null;
}

/**
 * The one id of the event a timeline entry is: the same for every subscription and every
 * retry, so receivers dedupe on it (the `webhook-id` header).
 */
export function webhookEventId(instanceId: string, seq: number): string {
  return `evt_${createHash('sha256').update(`${instanceId}#${seq}`).digest('base64url').slice(0, 32)}`;
}

/** A timeline entry as a webhook event, ready to fan out to the subscriptions that want it. */
export interface WebhookEventRecord {
  seq: number;
  event_id: string;
  event_type: string;
  payload: WebhookPayload;
}

/** The entries that are webhook events, with their ids and payloads; the others are left out. */
export function webhookEventsOf(instance: WebhookInstance, entries: readonly TimelineEntry[]): WebhookEventRecord[] {
  return entries.flatMap((entry) => {
    const type = webhookEventOf(entry.type);
    if (type === undefined) return [];
    const payload: WebhookPayload = {
      type,
      timestamp: entry.at,
      data: {
        instanceId: instance.instanceId,
        templateKey: instance.templateKey,
        version: instance.version,
        businessKey: instance.businessKey,
        seq: entry.seq,
        ...(entry.stepId !== undefined ? { stepId: entry.stepId } : {}),
        ...(entry.path !== undefined ? { path: entry.path } : {}),
        ...(entry.detail !== undefined ? { detail: entry.detail } : {}),
      },
    };
    return [{ seq: entry.seq, event_id: webhookEventId(instance.instanceId, entry.seq), event_type: type, payload }];
  });
}

/**
 * Queues a delivery per matching enabled subscription for each entry that is a webhook event.
 * Called inside the projection's transaction with only the entries that transaction added, and
 * unique on (subscription, event): a retried or replayed projection write queues nothing twice.
 * Raw SQL: the fan-out to subscriptions must be one statement in the caller's transaction.
 */
export async function enqueueWebhookEvents(
  tx: EntityManager,
  instance: WebhookInstance,
  entries: readonly TimelineEntry[],
  now: Date,
): Promise<number> {
  const events = webhookEventsOf(instance, entries);
  if (events.length === 0) return 0;
  const queued = await tx.execute<{ id: string }[]>(
    `${webhookFanOutSql('jsonb_to_recordset(?::jsonb) as e(event_id text, event_type text, payload jsonb)')} returning id`,
    [instance.instanceId, now, now, JSON.stringify(events), instance.templateKey],
  );
  return queued.length;
}

/**
 * The fan-out statement: `events` is a from-item naming `e(event_id, event_type, payload)` rows.
 * Parameters: instance id, now, now, those of `events`, template key. Shared with the
 * projection's one-statement write (db/repositories/instance-repository.ts).
 */
export function webhookFanOutSql(events: string): string {
  return `insert into webhook_delivery (id, subscription_id, event_id, event_type, instance_id, payload, next_attempt_at, created_at)
     select gen_random_uuid(), s.id, e.event_id, e.event_type, ?, e.payload, ?, ?
       from ${events}
       join webhook_subscription s on s.enabled and e.event_type = any(s.event_types)
        and (s.template_keys is null or ? = any(s.template_keys))
     on conflict (subscription_id, event_id) do nothing`;
}

/** Queues a `webhook.ping` for one subscription (whatever its event types); returns the event id. */
export async function enqueueWebhookPing(em: EntityManager, subscriptionId: string, now: Date): Promise<string> {
  const eventId = `evt_ping_${randomUUID()}`;
  const payload: WebhookPayload = { type: WEBHOOK_PING, timestamp: now.toISOString(), data: {} };
  await em.execute(
    `insert into webhook_delivery (id, subscription_id, event_id, event_type, payload, next_attempt_at, created_at)
     values (?, ?, ?, ?, ?::jsonb, ?, ?)`,
    [randomUUID(), subscriptionId, eventId, WEBHOOK_PING, JSON.stringify(payload), now, now],
  );
  return eventId;
}

/** A delivery taken for one attempt: what to send and where. */
export interface ClaimedDelivery {
  id: string;
  subscriptionId: string;
  eventId: string;
  /** The exact JSON text to sign and send. */
  body: string;
  /** This attempt's number, counted and committed before the request is made. */
  attempt: number;
  url: string;
  secret: string;
}

/**
 * Takes due deliveries of enabled subscriptions for one attempt each: the attempt is counted and
 * a lease set, committed before any request, so no transaction stays open across HTTP and a
 * dispatcher that dies mid-request leaves the row to be taken again when the lease ends (at
 * least once). SKIP LOCKED: dispatchers in several workers take different rows.
 */
export async function claimDueDeliveries(
  em: EntityManager,
  now: Date,
  limit: number,
  leaseMs: number,
): Promise<ClaimedDelivery[]> {
  const rows = await em.execute<
    {
      id: string;
      subscription_id: string;
      event_id: string;
      body: string;
      attempts: number;
      url: string;
      secret: string;
    }[]
  >(
    `update webhook_delivery delivery
        set attempts = delivery.attempts + 1, claimed_until = ?
       from webhook_subscription subscription
      where subscription.id = delivery.subscription_id
        and delivery.id in (
          select due.id from webhook_delivery due
            join webhook_subscription s on s.id = due.subscription_id and s.enabled
           where due.status = 'pending' and due.next_attempt_at <= ?
             and (due.claimed_until is null or due.claimed_until < ?)
           order by due.next_attempt_at limit ? for update of due skip locked)
      returning delivery.id, delivery.subscription_id, delivery.event_id, delivery.payload::text as body,
        delivery.attempts, subscription.url, subscription.secret`,
    [new Date(now.getTime() + leaseMs), now, now, limit],
  );
  return rows.map((row) => ({
    id: row.id,
    subscriptionId: row.subscription_id,
    eventId: row.event_id,
    body: row.body,
    attempt: row.attempts,
    url: row.url,
    secret: row.secret,
  }));
}

/** How one attempt went, as the delivery log keeps it. */
export interface AttemptOutcome {
  ok: boolean;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
}

/**
 * Logs an attempt and settles the delivery (delivered, or due again at `retryAt`) and its
 * subscription's failure streak, in one transaction. Returns true when this failure disabled the
 * subscription: it had failed and nothing but failed for `disableAfterMs`.
 */
export async function recordDeliveryAttempt(
  em: EntityManager,
  delivery: ClaimedDelivery,
  outcome: AttemptOutcome,
  now: Date,
  retryAt: Date,
  disableAfterMs: number,
): Promise<{ disabled: boolean }> {
  return em.transactional(async (tx) => {
    await tx.execute(
      `insert into webhook_attempt (delivery_id, subscription_id, attempt, at, status_code, duration_ms, error)
       values (?, ?, ?, ?, ?, ?, ?)`,
      [
        delivery.id,
        delivery.subscriptionId,
        delivery.attempt,
        now,
        outcome.statusCode,
        outcome.durationMs,
        outcome.error,
      ],
    );
    if (outcome.ok) {
      await tx.execute(
        `update webhook_delivery set status = 'delivered', delivered_at = ?, claimed_until = null where id = ?`,
        [now, delivery.id],
      );
      await tx.execute(`update webhook_subscription set failing_since = null, last_success_at = ? where id = ?`, [
        now,
        delivery.subscriptionId,
      ]);
      return { disabled: false };
    }
    await tx.execute(`update webhook_delivery set next_attempt_at = ?, claimed_until = null where id = ?`, [
      retryAt,
      delivery.id,
    ]);
    const cutoff = new Date(now.getTime() - disableAfterMs);
    const reason = `Every delivery failed for ${Math.round(disableAfterMs / 3_600_000)} hours; the last: ${outcome.error ?? `HTTP ${outcome.statusCode}`}`;
    const [subscription] = await tx.execute<{ enabled: boolean }[]>(
      `update webhook_subscription
          set failing_since = coalesce(failing_since, ?),
              enabled = case when failing_since < ? then false else enabled end,
              disabled_reason = case when enabled and failing_since < ? then ? else disabled_reason end
        where id = ? returning enabled`,
      [now, cutoff, cutoff, reason, delivery.subscriptionId],
    );
    return { disabled: subscription?.enabled === false };
  });
}
