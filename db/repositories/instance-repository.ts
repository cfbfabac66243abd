import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  InstanceStatus,
  ProjectInstanceParams,
  ProjectInstanceResult,
  TimelineEntry as TimelineMessage,
} from '../../contracts/engine';
import { InstanceRow, TimelineRow } from '../entities';
import { enqueueWebhookEvents, webhookEventsOf, webhookFanOutSql } from '../webhooks/webhook-outbox';
import { catchUpInstanceReaders, instanceReadersOf, type InstanceReach } from './instance-reach';
import { runningIncidentCountSql } from './incident-repository';
import { queryKeysetPage, timestampParam } from './keyset-page';
import { versionNameKey, type TemplateRegistry } from './template-registry';
import type { Page } from './page-cursor';

export interface InstanceFilters {
  templateKey?: string;
  /** Only with `templateKey`: versions are numbered per template. */
  version?: number;
  status?: InstanceStatus | InstanceStatus[];
  /** True: instances with a step held in incident, or running with an activity failing repeatedly (`process_incident`). */
  incident?: boolean;
  businessKey?: string;
  /** Inclusive lower bound of `startedAt`. */
  startedFrom?: Date | string;
  /** Exclusive upper bound of `startedAt`. */
  startedTo?: Date | string;
  /** From the previous page's `nextCursor`. */
  cursor?: string;
  /** Page size, 1..200 (default 50). */
  limit?: number;
  /** Only the instances this caller reaches (undefined: every instance). */
  reach?: InstanceReach;
  /** Also count each running instance's incidents (`incidentCounts`), in the page's statement. */
  countIncidents?: boolean;
}

/** A page of instances; `incidentCounts[i]` is `items[i]`'s while it runs (0s unless asked for). */
export interface InstancePage extends Page<InstanceRow> {
  incidentCounts: number[];
}

export interface InstanceSummary {
  businessKey: string | null;
  /** Null when the version is not found (it always is, unless rows were removed by hand). */
  templateName: string | null;
}

/** What a list needs of an instance to show it beside a row of its own (a task): see {@link instanceSummaryJoinSql}. */
export interface InstanceRef {
  id: string;
  businessKey: string | null;
  templateKey: string;
  version: number;
}

/**
 * The business key and template version of the instance whose id is `idSql` (a column of the
 * caller's row): `join`, a lateral join to put after the caller's FROM item, adds the columns
 * `instance_business_key` and `instance_version` (`columns`, null when the row is gone). A list of
 * rows that belong to instances reads them in its own statement, not in a second round trip, with
 * one index lookup per row (two scalar subqueries were two: 0.2-0.3 ms more of PostgreSQL's CPU
 * for an inbox page of 51 rows, measured on the backend over 1 000 runs).
 */
export function instanceSummaryJoinSql(idSql: string): { join: string; columns: string } {
  return {
    join: `left join lateral (select business_key as instance_business_key, version as instance_version
      from process_instance where id = ${idSql}) listed_instance on true`,
    columns: 'listed_instance.instance_business_key, listed_instance.instance_version',
  };
}

/** The columns every projection write inserts, in the order of its values. */
const INSERT_INSTANCE = `insert into process_instance as stored (id, template_key, version, business_key, parent_id,
  status, started_at, ended_at, current_steps, result, error, projected_seq, updated_at, run_id)`;

/**
 * What a projection write changes in a stored row: only while it is open (a terminal status is
 * final), and an open status only from a snapshot at least as new (its one parameter: the
 * snapshot's seq, null when the write has none).
 */
const UPDATE_OPEN_INSTANCE = `on conflict (id) do update set
    business_key = coalesce(excluded.business_key, stored.business_key),
    parent_id = coalesce(stored.parent_id, excluded.parent_id),
    status = excluded.status, ended_at = excluded.ended_at, current_steps = excluded.current_steps,
    result = excluded.result, error = excluded.error,
    projected_seq = greatest(excluded.projected_seq, stored.projected_seq), updated_at = excluded.updated_at
  where stored.status in ('running', 'incident')
    and (excluded.status not in ('running', 'incident') or ?::int is null
      or excluded.projected_seq >= stored.projected_seq)`;

/** The parameters of INSERT_INSTANCE's values and UPDATE_OPEN_INSTANCE, in their order. */
function upsertValues(
  params: ProjectInstanceParams,
  snapshotSeq: number | null,
  now: Date,
  runId: string | undefined,
): unknown[] {
  return [
    params.instanceId,
    params.templateKey,
    params.version,
    params.businessKey,
    params.parentInstanceId,
    params.status,
    params.startedAt,
    params.endedAt,
    JSON.stringify(params.currentSteps),
    jsonOrNull(params.result),
    jsonOrNull(params.error),
    snapshotSeq,
    now.toISOString(),
    runId ?? null,
    snapshotSeq,
  ];
}

/**
 * Of the row `process_instance`: one of the readers (its one parameter, an array) holds it
 * (instance-reach.ts). The instance's own readers, a handful of rows, are read by its id and each
 * tested against the list (migration 20261237), which may be long: one per owner of a manager's team
 * and kind of record.
 */
const reachedBy = `exists (select 1 from instance_reader held
  where held.instance_id = process_instance.id and held.reader in (?))`;

/**
 * From this many readers a filtered page is planned for each call (readPrepared's `per-call`).
 * Planned for its values, PostgreSQL hashes the list `reachedBy` tests each walked instance's
 * readers against; a prepared statement's generic plan compares them element by element. At 100 000
 * instances (the bulk seed, 40 executions each, PostgreSQL's CPU a page, generic → per call): a
 * team of 200 (603 readers), running ticket processes 34 → 8.0 ms, running instances 8.3 → 2.8 ms;
 * a team of 50 (153) 12.3 → 5.0 and 3.0 → 1.8 ms; a team of 8 (27) 5.5 → 5.3 and 0.75 → 1.25 ms;
 * below that, planning costs what the hash saves (a team of 3, 11 readers: 1.0 → 1.25 ms).
 */
const PLANNED_PER_CALL_FROM_READERS = 25;

/** The instance projection: get one, list newest first with filters and keyset pages, read a timeline. */
export class InstanceRepository {
  /** The instance, or null when there is none or `reach` (when given) does not reach it. */
  async get(em: EntityManager, id: string, reach?: InstanceReach): Promise<InstanceRow | null> {
    if (!reach) return em.findOne(InstanceRow, { id });
    await catchUpInstanceReaders(em);
    const [row] = await em.execute<Record<string, unknown>[]>(
      `select * from process_instance where id = ? and ${reachedBy}`,
      [id, instanceReadersOf(reach)],
    );
    return row ? em.map(InstanceRow, row) : null;
  }

  /** Newest first (`startedAt desc, id desc`); every row appears on exactly one page. */
  async list(em: EntityManager, filters: InstanceFilters = {}): Promise<InstancePage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (condition: string, ...values: unknown[]) => {
      where.push(condition);
      params.push(...values);
    };
    if (filters.templateKey !== undefined) add('template_key = ?', filters.templateKey);
    if (filters.version !== undefined) add('version = ?', filters.version);
    if (filters.status !== undefined) {
      const statuses = ([] as InstanceStatus[]).concat(filters.status);
      // An empty status list matches nothing rather than everything.
      if (statuses.length === 0) add('false');
      else add('status in (?)', statuses);
    }
    if (filters.incident)
      add(
        `(status = 'incident' or (status = 'running' and exists
           (select 1 from process_incident incident where incident.instance_id = process_instance.id)))`,
      );
    if (filters.businessKey !== undefined) add('business_key = ?', filters.businessKey);
    if (filters.startedFrom !== undefined) add('started_at >= ?::timestamptz', timestampParam(filters.startedFrom));
    if (filters.startedTo !== undefined) add('started_at < ?::timestamptz', timestampParam(filters.startedTo));
    // A caller who may not see every instance (see instance-reach.ts): unfiltered, the list merges
    // their readers' instances a page at a time; filtered, it follows the filters' index and tests
    // each instance against their readers, since a reader's rows hold no filter of their own (one
    // whose instances all fail a filter would be read to its end). That walk is as long as it
    // takes to meet a page the caller reaches, an index lookup per instance.
    const readers = filters.reach === undefined ? undefined : instanceReadersOf(filters.reach);
    const filtered = where.length > 0;
    if (readers !== undefined) {
      await catchUpInstanceReaders(em);
      if (filtered) add(reachedBy, readers);
    }
    const page = await queryKeysetPage(em, {
      entity: InstanceRow,
      table: 'process_instance',
      orderColumn: 'started_at',
      where,
      params,
      ...(readers !== undefined && where.length === 0
        ? {
            through: {
              table: 'instance_reader',
              rowColumn: 'instance_id',
              branches: readers.map((reader) => ({
                sql: 'held.reader = ?',
                params: [reader],
              })),
            },
          }
        : {}),
      cursor: filters.cursor,
      limit: filters.limit,
      ...(filters.countIncidents ? { annotations: { incidents: runningIncidentCountSql('page') } } : {}),
      planning:
        filtered && readers !== undefined && readers.length >= PLANNED_PER_CALL_FROM_READERS ? 'per-call' : 'kept',
    });
    return {
      items: page.items,
      nextCursor: page.nextCursor,
      incidentCounts: page.annotations.map((values) => Number(values['incidents'] ?? 0)),
    };
  }

  /**
   * What a task list shows of each task's instance: its business key and its template's name (of
   * the version it runs, from the registry, which reads each version's name once).
   */
  async summariesOf(
    em: EntityManager,
    ids: readonly string[],
    templates: TemplateRegistry,
  ): Promise<Map<string, InstanceSummary>> {
    if (ids.length === 0) return new Map();
    const rows = await em.execute<{ id: string; business_key: string | null; template_key: string; version: number }[]>(
      'select id, business_key, template_key, version from process_instance where id in (?)',
      [[...new Set(ids)]],
    );
    return this.summariesFrom(
      em,
      rows.map((row) => ({
        id: row.id,
        businessKey: row.business_key,
        templateKey: row.template_key,
        version: row.version,
      })),
      templates,
    );
  }

  /** {@link summariesOf} for instances already read (by {@link instanceSummaryJoinSql}); template names come from the registry's cache. */
  async summariesFrom(
    em: EntityManager,
    refs: readonly InstanceRef[],
    templates: TemplateRegistry,
  ): Promise<Map<string, InstanceSummary>> {
    const names = await templates.versionNames(
      em,
      refs.map((ref) => ({ key: ref.templateKey, version: ref.version })),
    );
    return new Map(
      refs.map((ref) => [
        ref.id,
        { businessKey: ref.businessKey, templateName: names.get(versionNameKey(ref.templateKey, ref.version)) ?? null },
      ]),
    );
  }

  /**
   * Upserts the instance row and appends its timeline entries, in one transaction. Entries are
   * keyed by (instance, seq), so retries add nothing. The row takes a snapshot only if it is at
   * least as new (by timeline seq) as the stored one and the stored status is still live (running, incident):
   * a late retry of an older projection never rolls a finished instance back to running. The
   * entries it adds that are webhook events are queued for delivery in the same transaction.
   *
   * `runId` (the Temporal run writing) lets the row follow the run that runs: the first write of a
   * new run (a reset, which may start from a failed instance, or a continue-as-new) takes the row
   * over: it reopens it, clears the replaced run's incidents and shifts the new run's timeline past
   * the entries already written, so the timeline continues; a late write of a replaced run changes
   * nothing. Raw SQL: the conditional upsert and the batch insert of the timeline must each be one statement.
   */
  async project(
    em: EntityManager,
    params: ProjectInstanceParams,
    now: Date,
    runId?: string,
  ): Promise<ProjectInstanceResult> {
    const snapshotSeq =
      params.snapshotSeq ?? (params.timeline.length > 0 ? Math.max(...params.timeline.map((e) => e.seq)) : null);
    const usual = await this.projectInOneStatement(em, params, snapshotSeq, now, runId);
    if (usual) return usual;
    return em.transactional(async (tx) => {
      const owner = runId === undefined ? { offset: 0 } : await this.claimForRun(tx, params, snapshotSeq, runId);
      if ('stale' in owner) return { applied: false, status: owner.stale, timelineAdded: 0 };
      const applied = await tx.execute<{ id: string }[]>(
        `${INSERT_INSTANCE}
         values (?, ?, ?, ?, ?, ?, ?::timestamptz, ?::timestamptz, ?::jsonb, ?::jsonb, ?::jsonb, coalesce(?::int, -1), ?, ?)
         ${UPDATE_OPEN_INSTANCE}
         returning id`,
        upsertValues(params, snapshotSeq, now, runId),
      );
      const added =
        params.timeline.length === 0
          ? []
          : await tx.execute<{ seq: number }[]>(
              `insert into timeline_entry (instance_id, seq, at, type, step_id, path, detail)
         select ?, e.seq, e.at, e.type, e.step_id, e.path, e.detail
           from jsonb_to_recordset(?::jsonb) as e(seq int, at timestamptz, type text, step_id text, path text, detail jsonb)
         on conflict (instance_id, seq) do nothing returning seq`,
              [params.instanceId, JSON.stringify(params.timeline.map((entry) => timelineRecord(entry, owner.offset)))],
            );
      // Only the entries this write added become webhook events: a retried flush adds none. Their
      // seq (and so their event id) is the stored one, unique across the runs of the instance.
      const addedSeqs = new Set(added.map((entry) => entry.seq));
      await enqueueWebhookEvents(
        tx,
        params,
        params.timeline
          .map((entry) => ({ ...entry, seq: entry.seq + owner.offset }))
          .filter((entry) => addedSeqs.has(entry.seq)),
        now,
      );
      const [row] = await tx.execute<{ status: InstanceStatus }[]>('select status from process_instance where id = ?', [
        params.instanceId,
      ]);
      return { applied: applied.length === 1, status: row!.status, timelineAdded: added.length };
    });
  }

  /**
   * The usual write, a new row or the row of the run writing whose timeline is not shifted, as ONE
   * statement (the row lock, the upsert, the timeline, the webhook fan-out and the resulting status):
   * one round trip instead of a transaction of six, on every flush of every instance. Null when the
   * row belongs to another run, to none yet, or is shifted: the general path then claims it.
   * A statement's data-modifying CTEs all run, each once, and see the rows as they were before it.
   */
  private async projectInOneStatement(
    em: EntityManager,
    params: ProjectInstanceParams,
    snapshotSeq: number | null,
    now: Date,
    runId: string | undefined,
  ): Promise<ProjectInstanceResult | null> {
    const [outcome] = await em.execute<
      { usual: boolean; applied: number; status: InstanceStatus | null; added: number }[]
    >(
      `with locked as (
         select status, run_id, timeline_offset from process_instance where id = ? for update
       ), usual as (
         select where not exists (select from locked where run_id is distinct from ?::text or timeline_offset <> 0)
       ), upsert as (
         ${INSERT_INSTANCE}
         select ?::text, ?::text, ?::int, ?::text, ?::text, ?::text, ?::timestamptz, ?::timestamptz, ?::jsonb, ?::jsonb,
           ?::jsonb, coalesce(?::int, -1), ?::timestamptz, ?::text
           from usual
         ${UPDATE_OPEN_INSTANCE}
         returning status
       ), added as (
         insert into timeline_entry (instance_id, seq, at, type, step_id, path, detail)
         select ?, e.seq, e.at, e.type, e.step_id, e.path, e.detail
           from usual, jsonb_to_recordset(?::jsonb) as e(seq int, at timestamptz, type text, step_id text, path text, detail jsonb)
         on conflict (instance_id, seq) do nothing returning seq
       ), queued as (
         ${webhookFanOutSql('jsonb_to_recordset(?::jsonb) as e(seq int, event_id text, event_type text, payload jsonb) join added on added.seq = e.seq')}
       )
       select exists (select from usual) as usual, (select count(*) from upsert)::int as applied,
         coalesce((select status from upsert), (select status from locked)) as status, (select count(*) from added)::int as added`,
      [
        params.instanceId,
        runId ?? null,
        ...upsertValues(params, snapshotSeq, now, runId),
        params.instanceId,
        JSON.stringify(params.timeline.map((entry) => timelineRecord(entry))),
        params.instanceId,
        now,
        now,
        JSON.stringify(webhookEventsOf(params, params.timeline)),
        params.templateKey,
      ],
    );
    if (!outcome?.usual) return null;
    // Not applied to a row another write inserted while this one ran: read what it stored.
    const status =
      outcome.status ??
      (
        await em.execute<{ status: InstanceStatus }[]>('select status from process_instance where id = ?', [
          params.instanceId,
        ])
      )[0]!.status;
    return { applied: outcome.applied === 1, status, timelineAdded: outcome.added };
  }

  /**
   * Reopens a failed instance whose workflow was just reset, before the new run first writes (it
   * may not until its next wait): running again, the failure and the old run's incidents cleared.
   * The run id stays the old one, so the new run's first write still takes the row over.
   */
  async reopen(em: EntityManager, instanceId: string): Promise<void> {
    await em.transactional(async (tx) => {
      await tx.execute(
        `update process_instance set status = 'running', ended_at = null, result = null, error = null
          where id = ? and status = 'failed'`,
        [instanceId],
      );
      await tx.execute('delete from process_incident where instance_id = ?', [instanceId]);
    });
  }

  /**
   * Makes `runId` the row's run (locking the row): the offset of its timeline positions, or
   * `stale` (the stored status) when it is a run a later one replaced. A row without a run (new,
   * or written before runs were recorded) just records it.
   */
  private async claimForRun(
    tx: EntityManager,
    params: ProjectInstanceParams,
    snapshotSeq: number | null,
    runId: string,
  ): Promise<{ offset: number } | { stale: InstanceStatus }> {
    const [stored] = await tx.execute<
      { status: InstanceStatus; run_id: string | null; superseded_run_ids: string[]; timeline_offset: number }[]
    >('select status, run_id, superseded_run_ids, timeline_offset from process_instance where id = ? for update', [
      params.instanceId,
    ]);
    if (!stored) return { offset: 0 };
    if (stored.superseded_run_ids.includes(runId)) return { stale: stored.status };
    if (stored.run_id === null || stored.run_id === runId) {
      if (stored.run_id === null)
        await tx.execute('update process_instance set run_id = ? where id = ?', [runId, params.instanceId]);
      return { offset: stored.timeline_offset };
    }
    // A new run: its first position not yet written goes right after the last entry stored.
    const firstSeq =
      params.timeline.length > 0 ? Math.min(...params.timeline.map((e) => e.seq)) : (snapshotSeq ?? -1) + 1;
    const [last] = await tx.execute<{ seq: number | null }[]>(
      'select max(seq) as seq from timeline_entry where instance_id = ?',
      [params.instanceId],
    );
    const offset = Math.max(0, (last?.seq ?? -1) + 1 - firstSeq);
    await tx.execute(
      `update process_instance set run_id = ?, superseded_run_ids = array_append(superseded_run_ids, run_id),
         timeline_offset = ?, status = 'running', ended_at = null, result = null, error = null, projected_seq = -1
       where id = ?`,
      [runId, offset, params.instanceId],
    );
    // The replaced run's failing activities are not this run's; this run records its own.
    await tx.execute('delete from process_incident where instance_id = ?', [params.instanceId]);
    return { offset };
  }

  /** The instance's timeline in order, as the workflow reported it. */
  async timeline(em: EntityManager, instanceId: string): Promise<TimelineMessage[]> {
    const entries = await em.find(TimelineRow, { instanceId }, { orderBy: { seq: 'asc' } });
    return entries.map((entry) => ({
      seq: entry.seq,
      at: entry.at.toISOString(),
      type: entry.type,
      ...(entry.stepId !== null && entry.stepId !== undefined ? { stepId: entry.stepId } : {}),
      ...(entry.path !== null && entry.path !== undefined ? { path: entry.path } : {}),
      ...(entry.detail !== null && entry.detail !== undefined ? { detail: entry.detail } : {}),
    }));
  }
}

/** SQL NULL for an absent (or JSON null) value, so "no result" is one thing in the table. */
function jsonOrNull(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** A timeline entry as a row of `timeline_entry`, its position shifted by the run's offset. */
function timelineRecord(entry: TimelineMessage, offset = 0) {
  return {
    seq: entry.seq + offset,
    at: entry.at,
    type: entry.type,
    step_id: entry.stepId ?? null,
    path: entry.path ?? null,
    detail: entry.detail ?? null,
  };
}
