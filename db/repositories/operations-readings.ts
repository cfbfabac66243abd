import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * What the Prometheus endpoint reports about the engine's tables, read at scrape time: grouped
 * counts are right whichever process (API, workers) did the work, where in-process counters would
 * each see a part. Raw SQL because each family is one grouped statement (one round trip); the
 * entities' repositories own the rows, these are reports over them.
 */

export interface InstanceCount {
  templateKey: string;
  status: string;
  count: number;
}

/** Instances per template and status, and those with an activity failing again and again (running, not yet held). */
export async function readInstanceCounts(
  em: EntityManager,
): Promise<{ byStatus: InstanceCount[]; failingActivities: { templateKey: string; count: number }[] }> {
  const rows = await em.execute<{ template_key: string; status: string; count: string; kind: string }[]>(
    `select 'status' as kind, template_key, status::text as status, count(*) as count
       from process_instance group by template_key, status
     union all
     select 'failing', i.template_key, '', count(distinct i.id)
       from process_incident f join process_instance i on i.id = f.instance_id
      where i.status = 'running' group by i.template_key`,
  );
  return {
    byStatus: rows
      .filter((r) => r.kind === 'status')
      .map((r) => ({ templateKey: r.template_key, status: r.status, count: Number(r.count) })),
    failingActivities: rows
      .filter((r) => r.kind === 'failing')
      .map((r) => ({ templateKey: r.template_key, count: Number(r.count) })),
  };
}

/** Upper bounds (seconds) of the open-task age buckets: 5 min, 1 h, 4 h, 1 day, 3 days, 1 week. */
export const TASK_AGE_BOUNDS = [300, 3600, 14_400, 86_400, 259_200, 604_800] as const;

export interface OpenTaskReading {
  templateKey: string;
  /** The candidate role (the queue a task waits in); `''` for tasks offered to named users only. */
  queue: string;
  open: number;
  oldestAgeSeconds: number;
  /** Open tasks at most as old as each of TASK_AGE_BOUNDS, cumulative like a histogram's buckets. */
  agedAtMost: number[];
  /** Open tasks past their due time now. */
  overdue: number;
}

/** Open tasks per template and queue: how many, how old, how many past due. */
export async function readOpenTasks(em: EntityManager, now: Date): Promise<OpenTaskReading[]> {
  const buckets = TASK_AGE_BOUNDS.map(
    (_, i) => `count(*) filter (where created_at >= ?::timestamptz - interval '1 second' * ?) as le${i}`,
  );
  const params: unknown[] = TASK_AGE_BOUNDS.flatMap((bound) => [now, bound]);
  const rows = await em.execute<Record<string, string | null>[]>(
    `select template_key, coalesce(candidate_role, '') as queue, count(*) as open,
            extract(epoch from (?::timestamptz - min(created_at))) as oldest,
            count(*) filter (where due_at < ?::timestamptz) as overdue,
            ${buckets.join(', ')}
       from task where status = 'open' group by template_key, coalesce(candidate_role, '')`,
    [now, now, ...params],
  );
  return rows.map((r) => ({
    templateKey: r.template_key ?? '',
    queue: r.queue ?? '',
    open: Number(r.open),
    oldestAgeSeconds: Math.max(0, Number(r.oldest ?? 0)),
    agedAtMost: TASK_AGE_BOUNDS.map((_, i) => Number(r[`le${i}`])),
    overdue: Number(r.overdue),
  }));
}

export interface SlaBreachReading {
  templateKey: string;
  queue: string;
  /** Tasks, open or done, that were (or are) still open past their due time. */
  breached: number;
}

/** Every task that missed its due time, per template and queue (only tasks with a due time: a partial index). */
export async function readSlaBreaches(em: EntityManager, now: Date): Promise<SlaBreachReading[]> {
  const rows = await em.execute<{ template_key: string; queue: string; breached: string }[]>(
    `select template_key, coalesce(candidate_role, '') as queue, count(*) as breached
       from task where due_at is not null and due_at < coalesce(completed_at, ?::timestamptz)
      group by template_key, coalesce(candidate_role, '')`,
    [now],
  );
  return rows.map((r) => ({ templateKey: r.template_key, queue: r.queue, breached: Number(r.breached) }));
}

export interface OutboxReading {
  /** Waiting for a hand-off or in one (`pending`, `sending`). */
  pending: number;
  /** Age of the oldest of those; 0 when none. */
  oldestPendingSeconds: number;
  failed: number;
  /** Sent after an attempt died mid-send: the recipient may hold two copies. */
  possibleDuplicates: number;
}

/** The mail outbox's lag and trouble. */
export async function readMailOutbox(em: EntityManager, now: Date): Promise<OutboxReading> {
  const [row] = await em.execute<Record<string, string | null>[]>(
    `select count(*) filter (where status in ('pending', 'sending')) as pending,
            extract(epoch from (?::timestamptz - min(created_at) filter (where status in ('pending', 'sending')))) as oldest,
            count(*) filter (where status = 'failed') as failed,
            count(*) filter (where possible_duplicate) as duplicates
       from mail_outbox`,
    [now],
  );
  return {
    pending: Number(row?.pending ?? 0),
    oldestPendingSeconds: Math.max(0, Number(row?.oldest ?? 0)),
    failed: Number(row?.failed ?? 0),
    possibleDuplicates: Number(row?.duplicates ?? 0),
  };
}

export interface TriggerLagReading {
  /** Business events no template has been started for yet. */
  pending: number;
  oldestPendingSeconds: number;
  /** Pending events whose dispatch failed at least once. */
  retrying: number;
}

/** The trigger outbox (process_event): events waiting for the dispatcher, on a partial index. */
export async function readTriggerLag(em: EntityManager, now: Date): Promise<TriggerLagReading> {
  const [row] = await em.execute<Record<string, string | null>[]>(
    `select count(*) as pending, extract(epoch from (?::timestamptz - min(created_at))) as oldest,
            count(*) filter (where attempts > 0) as retrying
       from process_event where dispatched_at is null`,
    [now],
  );
  return {
    pending: Number(row?.pending ?? 0),
    oldestPendingSeconds: Math.max(0, Number(row?.oldest ?? 0)),
    retrying: Number(row?.retrying ?? 0),
  };
}

export interface WebhookLagReading {
  /** Deliveries not yet acknowledged by their receiver, of enabled subscriptions. */
  pending: number;
  oldestPendingSeconds: number;
  /** Of those, deliveries that failed at least once and wait for their next attempt. */
  retrying: number;
  /** Subscriptions disabled after days of nothing but failures (their deliveries wait for a re-enable). */
  disabledSubscriptions: number;
}

/** The webhook outbox (webhook_delivery): deliveries waiting, on its partial index of pending rows. */
export async function readWebhookLag(em: EntityManager, now: Date): Promise<WebhookLagReading> {
  const [row] = await em.execute<Record<string, string | null>[]>(
    `select count(*) as pending, extract(epoch from (?::timestamptz - min(d.created_at))) as oldest,
            count(*) filter (where d.attempts > 0) as retrying,
            (select count(*) from webhook_subscription where not enabled) as disabled
       from webhook_delivery d join webhook_subscription s on s.id = d.subscription_id
      where d.status = 'pending' and s.enabled`,
    [now],
  );
  return {
    pending: Number(row?.pending ?? 0),
    oldestPendingSeconds: Math.max(0, Number(row?.oldest ?? 0)),
    retrying: Number(row?.retrying ?? 0),
    disabledSubscriptions: Number(row?.disabled ?? 0),
  };
}
