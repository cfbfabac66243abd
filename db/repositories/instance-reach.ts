/**
 * Which business records' processes a caller may see: every record of the kind, those whose
 * owner is one of `ownerIds`, or none.
 */
export type RecordReach = 'all' | 'none' | { ownerIds: readonly string[] };

/**
 * The instances a caller who may not see them all reaches: those they started, those with a task
 * assigned to them, completed by them or open with them named as a candidate (a candidate role
 * alone is not enough: its attribute filters, a region, are not known here), and those whose business key names a record they may
 * see. A child instance is reached through any of its ancestors.
 */
export interface InstanceReach {
  userId: string;
  leads: RecordReach;
  quotes: RecordReach;
  orders: RecordReach;
  /** Tickets have no owner: support sees them all. */
  tickets: 'all' | 'none';
  /** Survey invitations, by the trigger ref (`ticket:T-1`) their survey process is keyed by. */
  invitations: 'all' | 'none';
}

/** Deep enough for any real process tree, and a stop should parent ids ever form a loop. */
const MAX_ANCESTORS = 32;

const OWNED_TABLES = { leads: 'leads', quotes: 'quotes', orders: 'orders' } as const;

/**
 * A condition on the row `process_instance` of the enclosing query (unaliased, as the keyset page
 * and `get` select it) that holds when `reach` reaches the instance. A business key names a record
 * by its id (`L-…`, `Q-…`: each kind has its own prefix, so at most one kind matches) or, for the
 * survey processes, by a trigger ref `<kind>:<id>`; the record's own table then decides by its owner.
 */
export function instanceReachCondition(reach: InstanceReach): { sql: string; params: unknown[] } {
  const params: unknown[] = [reach.userId, reach.userId, reach.userId, reach.userId];
  const records: string[] = [];
  for (const kind of ['leads', 'quotes', 'orders'] as const) {
    const scope = reach[kind];
    // Nobody owns a record for an empty team: the same as none (and `in ()` is not SQL).
    if (scope === 'none' || (scope !== 'all' && scope.ownerIds.length === 0)) continue;
    const table = OWNED_TABLES[kind];
    if (scope === 'all') {
      records.push(`exists (select 1 from ${table} r where r.id = l.record_id)`);
    } else {
      records.push(`exists (select 1 from ${table} r where r.id = l.record_id and r.owner_id in (?))`);
      // An array parameter expands to one placeholder per element.
      params.push([...scope.ownerIds]);
    }
  }
  if (reach.tickets === 'all') records.push('exists (select 1 from tickets r where r.id = l.record_id)');
  if (reach.invitations === 'all') {
    records.push(
      'exists (select 1 from survey_invitations r where r.trigger_ref = l.business_key or r.id = l.business_key)',
    );
  }
  const sql = `exists (
    with recursive lineage (id, parent_id, business_key, record_id, depth) as (
      select p.id, p.parent_id, p.business_key,
             coalesce(substring(p.business_key from '^[a-z]+:(.+)$'), p.business_key), 0
        from process_instance p where p.id = process_instance.id
      union all
      select p.id, p.parent_id, p.business_key,
             coalesce(substring(p.business_key from '^[a-z]+:(.+)$'), p.business_key), l.depth + 1
        from process_instance p join lineage l on p.id = l.parent_id
       where l.depth < ${MAX_ANCESTORS}
    )
    select 1 from lineage l
     where exists (select 1 from timeline_entry t
                    where t.instance_id = l.id and t.type = 'instance.started' and t.detail->>'startedBy' = ?)
        or exists (select 1 from task k
                    where k.instance_id = l.id
                      and ((k.assignee = ? and k.status in ('open', 'completed')) or k.completed_by = ?
                           or (k.status = 'open' and ? = any(k.candidate_users))))
        ${records.map((condition) => `or ${condition}`).join('\n        ')}
  )`;
  return { sql, params };
}
