import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * How many incidents the instance `instance` (an alias of a process_instance row) has, as a column
 * of a list query: counted while it runs (an instance that ended has none that matter).
 */
export function runningIncidentCountSql(instance: string): string {
  return `(case when ${instance}.status = 'running'
    then (select count(*)::int from process_incident incident where incident.instance_id = ${instance}.id)
    else 0 end)`;
}

/** An activity of an instance that keeps failing: retried by Temporal, waiting for its cause to go away. */
export interface Incident {
  instanceId: string;
  /** Temporal's id of the scheduled activity within its workflow (what ResetActivity takes). */
  activityId: string;
  activityType: string;
  /** The attempt that failed last. */
  attempt: number;
  message: string;
  firstFailedAt: string;
  lastFailedAt: string;
}

interface IncidentSqlRow {
  instance_id: string;
  activity_id: string;
  activity_type: string;
  attempt: number;
  message: string;
  first_failed_at: Date;
  last_failed_at: Date;
}

/** Messages are kept short: a stack or a server's whole answer belongs in the worker's log. */
const MAX_MESSAGE_LENGTH = 2000;

/**
 * The `process_incident` table: written by the worker's activity interceptor, read by the API.
 * Raw SQL: one upsert per failed attempt, no entity to map.
 */
export class IncidentRepository {
  async record(
    em: EntityManager,
    failure: { instanceId: string; activityId: string; activityType: string; attempt: number; message: string },
    now: Date,
  ): Promise<void> {
    await em.execute(
      `insert into process_incident as stored (instance_id, activity_id, activity_type, attempt, message, first_failed_at, last_failed_at)
       values (?, ?, ?, ?, ?, ?::timestamptz, ?::timestamptz)
       on conflict (instance_id, activity_id) do update set
         activity_type = excluded.activity_type, attempt = excluded.attempt, message = excluded.message,
         last_failed_at = excluded.last_failed_at`,
      [
        failure.instanceId,
        failure.activityId,
        failure.activityType,
        failure.attempt,
        failure.message.slice(0, MAX_MESSAGE_LENGTH),
        now.toISOString(),
        now.toISOString(),
      ],
    );
  }

  /** Removes the incident of one activity (it succeeded), or of every activity of the instance. */
  async clear(em: EntityManager, instanceId: string, activityId?: string): Promise<number> {
    const removed = await em.execute<{ activity_id: string }[]>(
      activityId === undefined
        ? 'delete from process_incident where instance_id = ? returning activity_id'
        : 'delete from process_incident where instance_id = ? and activity_id = ? returning activity_id',
      activityId === undefined ? [instanceId] : [instanceId, activityId],
    );
    return removed.length;
  }

  /** The incidents of these instances, oldest first within each. */
  async ofInstances(em: EntityManager, instanceIds: readonly string[]): Promise<Map<string, Incident[]>> {
    const byInstance = new Map<string, Incident[]>();
    if (instanceIds.length === 0) return byInstance;
    const rows = await em.execute<IncidentSqlRow[]>(
      'select * from process_incident where instance_id in (?) order by first_failed_at, activity_id',
      [[...new Set(instanceIds)]],
    );
    for (const row of rows) {
      const list = byInstance.get(row.instance_id) ?? [];
      list.push({
        instanceId: row.instance_id,
        activityId: row.activity_id,
        activityType: row.activity_type,
        attempt: row.attempt,
        message: row.message,
        firstFailedAt: new Date(row.first_failed_at).toISOString(),
        lastFailedAt: new Date(row.last_failed_at).toISOString(),
      });
      byInstance.set(row.instance_id, list);
    }
    return byInstance;
  }
}
