import type { Logger } from 'pino';
import type { Orm } from '../../db/orm';
import {
  claimDueDeliveries,
  recordDeliveryAttempt,
  type AttemptOutcome,
  type ClaimedDelivery,
} from '../../db/webhooks';
import { webhookHeaders } from './webhook-signature';
import { assertDeliverableTarget } from './webhook-target';

export interface WebhookDispatcherOptions {
  orm: Orm;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** WEBHOOK_ALLOW_PRIVATE_TARGETS: loopback and private addresses may be sent to. */
  allowInternalTargets: boolean;
  /** WEBHOOK_DISABLE_AFTER_DAYS: a subscription failing this long without a success is disabled. */
  disableAfterDays: number;
  /** How often due deliveries are looked for. Default 1 s. */
  pollMs?: number;
  /** The first retry's delay, doubling per attempt. Default 5 s. */
  retryBaseMs?: number;
  /** The longest delay between attempts. Default 1 h. */
  retryMaxMs?: number;
  /** Per request. Default 10 s. */
  timeoutMs?: number;
  now?: () => Date;
}

const BATCH = 20;
const ERROR_TEXT_MAX = 500;

/**
 * Sends the webhook outbox (runs in the worker role). Each round takes due deliveries with their
 * attempt already counted (db/webhooks/webhook-outbox.ts), POSTs each signed, and logs how it went;
 * a failure is retried with exponential backoff and jitter, indefinitely, until the subscription
 * is disabled for failing too long. At least once: a receiver dedupes on `webhook-id`.
 */
export class WebhookDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<unknown> = Promise.resolve();
  private readonly pollMs: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => Date;

  constructor(private readonly options: WebhookDispatcherOptions) {
    this.pollMs = options.pollMs ?? 1_000;
    this.retryBaseMs = options.retryBaseMs ?? 5_000;
    this.retryMaxMs = options.retryMaxMs ?? 3_600_000;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.now = options.now ?? (() => new Date());
  }

  start(): void {
    if (this.timer) return;
    const tick = (): void => {
      this.round = this.dispatchDue()
        .catch((error: unknown) => this.options.logger.error({ err: error }, 'webhook dispatch round failed'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.pollMs);
        });
    };
    this.timer = setTimeout(tick, this.pollMs);
  }

  /** Stops polling and waits for the round in flight (its requests time out within `timeoutMs`). */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.round;
  }

  /** One round: sends every due delivery of a batch; returns how many were attempted. */
  async dispatchDue(): Promise<number> {
    // The lease outlives the request's timeout, so a live dispatcher never loses its row to another.
    const claimed = await claimDueDeliveries(this.options.orm.em.fork(), this.now(), BATCH, this.timeoutMs + 30_000);
    await Promise.all(claimed.map((delivery) => this.deliver(delivery)));
    return claimed.length;
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const startedAt = Date.now();
    const outcome = await this.send(delivery).then(
      (statusCode): AttemptOutcome => ({
        ok: statusCode >= 200 && statusCode < 300,
        statusCode,
        durationMs: Date.now() - startedAt,
        error: statusCode >= 200 && statusCode < 300 ? null : `HTTP ${statusCode}`,
      }),
      (error: unknown): AttemptOutcome => ({
        ok: false,
        statusCode: null,
        durationMs: Date.now() - startedAt,
        error: describe(error).slice(0, ERROR_TEXT_MAX),
      }),
    );
    const now = this.now();
    const { disabled } = await recordDeliveryAttempt(
      this.options.orm.em.fork(),
      delivery,
      outcome,
      now,
      new Date(now.getTime() + this.retryDelay(delivery.attempt)),
      this.options.disableAfterDays * 86_400_000,
    );
    if (disabled)
      this.options.logger.warn(
        { subscriptionId: delivery.subscriptionId, url: delivery.url, error: outcome.error },
        `webhook subscription disabled: every delivery failed for ${this.options.disableAfterDays} days`,
      );
  }

  /** The HTTP status of one signed POST; redirects are not followed (they could lead anywhere). */
  private async send(delivery: ClaimedDelivery): Promise<number> {
    await assertDeliverableTarget(delivery.url, this.options.allowInternalTargets);
    const timestamp = Math.floor(this.now().getTime() / 1000);
    const response = await fetch(delivery.url, {
      method: 'POST',
      headers: {
        ...webhookHeaders(delivery.secret, delivery.eventId, timestamp, delivery.body),
        'user-agent': 'crm-process-engine-webhooks',
      },
      body: delivery.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    await response.body?.cancel();
    return response.status;
  }

  /** Exponential from `retryBaseMs`, capped, with jitter (half to all of it) so retries of an outage spread out. */
  private retryDelay(attempt: number): number {
    const capped = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** Math.min(attempt - 1, 30));
    return Math.round(capped / 2 + Math.random() * (capped / 2));
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}${cause}`;
}
