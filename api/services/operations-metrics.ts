import type { EntityManager } from '@mikro-orm/postgresql';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Orm } from '../../db/orm';
import { readWithin } from '../../db/read-deadline';
import {
  TASK_AGE_BOUNDS,
  readInstanceCounts,
  readMailOutbox,
  readOpenTasks,
  readSlaBreaches,
  readTriggerLag,
  readWebhookLag,
} from '../../db/repositories/operations-readings';

export interface OperationsMetricsOptions {
  orm: Orm;
  /**
   * The Temporal SDK's Prometheus exporter of a worker running in this process
   * (`http://127.0.0.1:<TEMPORAL_METRICS_PORT>/metrics`): each scrape appends its text.
   */
  temporalMetricsUrl?: string | undefined;
  /** How long one set of readings serves scrapes: bounds the SQL a scraper (or several) can cause. Default 5 s. */
  cacheMs?: number;
  now?: () => Date;
}

const READING_TIMEOUT_MS = 2_000;
const SDK_FETCH_TIMEOUT_MS = 1_000;

type Readings = Awaited<ReturnType<typeof takeReadings>>;

async function takeReadings(em: EntityManager, now: Date) {
  const [instances, openTasks, breaches, mail, triggers, webhooks] = await Promise.all([
    readInstanceCounts(em),
    readOpenTasks(em, now),
    readSlaBreaches(em, now),
    readMailOutbox(em, now),
    readTriggerLag(em, now),
    readWebhookLag(em, now),
  ]);
  return { instances, openTasks, breaches, mail, triggers, webhooks };
}

/**
 * The API's Prometheus exposition: gauges read from PostgreSQL at scrape time (instances per
 * template and status, open tasks' age and SLA breaches, the mail, trigger and webhook outboxes'
 * lag), this process's Node.js metrics, and the Temporal SDK worker metrics of a worker in the
 * same process. A database outage leaves the database families out and
 * `crm_metrics_database_readings_ok` at 0 rather than failing the scrape.
 */
export class OperationsMetrics {
  readonly registry = new Registry();
  private cached: { at: number; readings: Promise<Readings | null> } | null = null;

  constructor(private readonly options: OperationsMetricsOptions) {
    collectDefaultMetrics({ register: this.registry });
    this.defineFamilies();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The whole exposition text: ours, then the SDK's. */
  async render(): Promise<string> {
    const [ours, sdk] = await Promise.all([this.registry.metrics(), this.fetchSdkMetrics()]);
    return sdk === null ? ours : `${ours.endsWith('\n') ? ours : `${ours}\n`}${sdk}`;
  }

  private readings(): Promise<Readings | null> {
    const now = this.options.now?.() ?? new Date();
    const cacheMs = this.options.cacheMs ?? 5_000;
    if (this.cached && now.getTime() - this.cached.at < cacheMs) return this.cached.readings;
    const readings = readWithin(takeReadings(this.options.orm.em.fork(), now), READING_TIMEOUT_MS).catch(() => null);
    this.cached = { at: now.getTime(), readings };
    return readings;
  }

  private async fetchSdkMetrics(): Promise<string | null> {
    const url = this.options.temporalMetricsUrl;
    if (!url) return null;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(SDK_FETCH_TIMEOUT_MS) });
      if (!response.ok) return `# Temporal SDK metrics unavailable: HTTP ${response.status}\n`;
      return await response.text();
    } catch (error) {
      // A comment line: scrapers ignore it, a person reading the page learns why the temporal_ families are missing.
      return `# Temporal SDK metrics unavailable: ${(error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ')}\n`;
    }
  }

  /** A gauge set from the current readings at each scrape (stale label sets dropped). */
  private gauge<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    fill: (gauge: Gauge<L>, readings: Readings) => void,
  ): void {
    const readings = () => this.readings();
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        const current = await readings();
        this.reset();
        if (current) fill(this, current);
      },
    });
  }

  private defineFamilies(): void {
    const readings = () => this.readings();
    new Gauge({
      name: 'crm_metrics_database_readings_ok',
      help: '1 when the crm_* families below were read from PostgreSQL for this scrape (or the one 5 s before), 0 when the database did not answer.',
      registers: [this.registry],
      async collect() {
        this.set((await readings()) ? 1 : 0);
      },
    });
    this.gauge(
      'crm_process_instances',
      'Process instances per template and status (running, incident, completed, failed, cancelled), from the projection.',
      ['template', 'status'],
      (g, r) => r.instances.byStatus.forEach((c) => g.set({ template: c.templateKey, status: c.status }, c.count)),
    );
    this.gauge(
      'crm_process_instances_failing_activity',
      'Running instances with an activity that failed three or more times in a row (an incident while it retries).',
      ['template'],
      (g, r) => r.instances.failingActivities.forEach((c) => g.set({ template: c.templateKey }, c.count)),
    );
    const byQueue = (t: { templateKey: string; queue: string }) => ({ template: t.templateKey, queue: t.queue });
    this.gauge(
      'crm_open_tasks',
      'Open human tasks per template and queue (candidate role).',
      ['template', 'queue'],
      (g, r) => r.openTasks.forEach((t) => g.set(byQueue(t), t.open)),
    );
    this.gauge(
      'crm_open_task_oldest_age_seconds',
      'Age of the oldest open task per template and queue.',
      ['template', 'queue'],
      (g, r) => r.openTasks.forEach((t) => g.set(byQueue(t), t.oldestAgeSeconds)),
    );
    this.gauge(
      'crm_open_tasks_by_age',
      'Open tasks at most `le` seconds old per template and queue, cumulative like histogram buckets (le="+Inf" is all).',
      ['template', 'queue', 'le'],
      (g, r) =>
        r.openTasks.forEach((t) => {
          TASK_AGE_BOUNDS.forEach((bound, i) => g.set({ ...byQueue(t), le: String(bound) }, t.agedAtMost[i] ?? 0));
          g.set({ ...byQueue(t), le: '+Inf' }, t.open);
        }),
    );
    this.gauge(
      'crm_open_tasks_overdue',
      'Open tasks past their due time (an SLA breach in progress) per template and queue.',
      ['template', 'queue'],
      (g, r) => r.openTasks.forEach((t) => g.set(byQueue(t), t.overdue)),
    );
    this.gauge(
      'crm_task_sla_breaches',
      'Tasks, open or done, that were open past their due time, per template and queue (grows like a counter).',
      ['template', 'queue'],
      (g, r) => r.breaches.forEach((b) => g.set(byQueue(b), b.breached)),
    );
    this.gauge('crm_mail_outbox_pending', 'Mails waiting for their SMTP hand-off (or in one).', [], (g, r) =>
      g.set(r.mail.pending),
    );
    this.gauge(
      'crm_mail_outbox_oldest_pending_age_seconds',
      'Age of the oldest mail waiting (the mail outbox lag).',
      [],
      (g, r) => g.set(r.mail.oldestPendingSeconds),
    );
    this.gauge('crm_mail_outbox_failed', 'Mails given up on.', [], (g, r) => g.set(r.mail.failed));
    this.gauge(
      'crm_mail_outbox_possible_duplicates',
      'Mails sent again after an attempt died mid-send (the recipient may hold two copies with one Message-ID).',
      [],
      (g, r) => g.set(r.mail.possibleDuplicates),
    );
    this.gauge(
      'crm_trigger_events_pending',
      'Business events (new lead, order, ticket…) no template has been started for yet.',
      [],
      (g, r) => g.set(r.triggers.pending),
    );
    this.gauge(
      'crm_trigger_event_oldest_pending_age_seconds',
      'Age of the oldest business event waiting for the trigger dispatcher (trigger-event lag).',
      [],
      (g, r) => g.set(r.triggers.oldestPendingSeconds),
    );
    this.gauge(
      'crm_trigger_events_retrying',
      'Pending business events whose dispatch failed at least once.',
      [],
      (g, r) => g.set(r.triggers.retrying),
    );
    this.gauge(
      'crm_webhook_deliveries_pending',
      'Webhook deliveries of enabled subscriptions their receiver has not acknowledged yet.',
      [],
      (g, r) => g.set(r.webhooks.pending),
    );
    this.gauge(
      'crm_webhook_delivery_oldest_pending_age_seconds',
      'Age of the oldest of those (the webhook outbox lag).',
      [],
      (g, r) => g.set(r.webhooks.oldestPendingSeconds),
    );
    this.gauge(
      'crm_webhook_deliveries_retrying',
      'Pending webhook deliveries that failed at least once and wait for their next attempt.',
      [],
      (g, r) => g.set(r.webhooks.retrying),
    );
    this.gauge(
      'crm_webhook_subscriptions_disabled',
      'Webhook subscriptions disabled after days of nothing but failures.',
      [],
      (g, r) => g.set(r.webhooks.disabledSubscriptions),
    );
  }
}
