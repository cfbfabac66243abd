/*
 * Which tasks a person sees, as SQL conditions over the task table: the inbox as a whole and each
 * of its views. The one place that writes the candidate rule in SQL (with engine_attributes_match).
 */

/** Whose inbox: the caller as the API knows them. */
export interface InboxUser {
  id: string;
  roles: readonly string[];
  attributes: Record<string, unknown>;
  /**
   * Whose queues the `unassigned` view shows besides one's own: everyone's (who sees every
   * task), the ids of the team one leads (a manager), or nobody else's (undefined).
   */
  overseen?: 'everyone' | readonly string[];
}

/**
 * The inbox's views: `mine` open and assigned to me; `queue` open, unassigned, mine to claim;
 * `unassigned` the queue plus the queues one oversees; `done` completed by me or closed while I held it.
 */
export const INBOX_VIEWS = ['mine', 'queue', 'unassigned', 'done'] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];

export interface Condition {
  sql: string;
  params: unknown[];
}

/**
 * Not shut out by the four-eyes rule, and a candidate by name or by a role whose filter one's
 * attributes pass. A role without a filter (`{}`, which engine_attributes_match passes) is decided
 * without calling the function, whose call per row adds seconds over 100 000 open tasks.
 */
function candidateCondition(user: InboxUser): Condition {
  const byRole = user.roles.length > 0;
  return {
    sql: `(not (excluded_users @> array[?]::text[]) and (candidate_users @> array[?]::text[]
      ${byRole ? `or (candidate_role in (?) and (candidate_where = '{}' or engine_attributes_match(?::jsonb, candidate_where)))` : ''}))`,
    params: [user.id, user.id, ...(byRole ? [[...user.roles], JSON.stringify(user.attributes)] : [])],
  };
}

/** Everything the user sees: assigned to them, completed by them, or open in their queue. */
export function visibleCondition(user: InboxUser): Condition {
  const candidate = candidateCondition(user);
  return {
    sql: `(assignee = ? or completed_by = ? or (status = 'open' and assignee is null and ${candidate.sql}))`,
    params: [user.id, user.id, ...candidate.params],
  };
}

export function viewCondition(view: InboxView, user: InboxUser): Condition {
  switch (view) {
    case 'mine':
      return { sql: `(status = 'open' and assignee = ?)`, params: [user.id] };
    case 'done':
      return { sql: `(completed_by = ? or (status <> 'open' and assignee = ?))`, params: [user.id, user.id] };
    case 'queue': {
      const candidate = candidateCondition(user);
      return { sql: `(status = 'open' and assignee is null and ${candidate.sql})`, params: candidate.params };
    }
    case 'unassigned': {
      if (user.overseen === 'everyone') return { sql: `(status = 'open' and assignee is null)`, params: [] };
      const team = (user.overseen ?? []).filter((id) => id !== user.id);
      const candidate = candidateCondition(user);
      if (team.length === 0) return viewCondition('queue', user);
      // A team member's queue: the same candidate rule as candidateCondition, for each of them.
      return {
        sql: `(status = 'open' and assignee is null and (${candidate.sql} or exists (
          select 1 from engine_user member where member.id in (?) and member.active
            and not (task.excluded_users @> array[member.id])
            and (task.candidate_users @> array[member.id] or (task.candidate_role = any(member.roles)
              and engine_attributes_match(member.attributes, task.candidate_where))))))`,
        params: [...candidate.params, team],
      };
    }
  }
}

/**
 * One part of a scope, disjoint from the scope's other parts, with the task statuses it can hold:
 * `open` only, `closed` only (completed or cancelled), or either.
 */
export interface ScopeBranch extends Condition {
  holds: 'open' | 'closed' | 'any';
  /**
   * Set on the named-candidate branch: whose named queue (table `task_named_queue`, migration
   * 20261235) holds every task of the branch, indexed in each task sort, so a page is read from it
   * and stops after a page; and the branch's condition to check on each task read from there,
   * written so that the planner does not read the GIN index of names instead (`= any` where the
   * branch has `@>`: the same test, which that index cannot answer).
   */
  namedQueue?: Condition & { of: string };
  /**
   * A query of task ids, read from indexes, that holds every task of the branch (and may hold
   * others): where a count of the branch starts, so that the branch's condition is tested on those
   * tasks only, not on every task its plain read would visit.
   */
  candidates?: Condition;
}

/*
 * The same sets as visibleCondition and viewCondition, cut into disjoint branches that each match
 * one index of Migration20261231000000_list_indexes (its prefix column and its partial predicate,
 * written here as there): a page is then the merge of each branch's first rows in index order,
 * never a filter over every open task nor a sort of them. A role is a branch of its own, since
 * `candidate_role in (...)` cannot return rows in another column's order. The named-candidate
 * branch is read from the person's named queue (ScopeBranch.namedQueue), since the GIN index over
 * the names cannot give an order.
 */
function candidateBranches(user: InboxUser, extra: Condition = { sql: 'true', params: [] }): ScopeBranch[] {
  const queue = `status = 'open' and assignee is null and not (excluded_users @> array[?]::text[]) and ${extra.sql}`;
  const named: ScopeBranch = {
    sql: `(${queue} and candidate_users @> array[?]::text[])`,
    params: [user.id, ...extra.params, user.id],
    holds: 'open',
    namedQueue: {
      of: user.id,
      sql: `(${queue} and ? = any(candidate_users))`,
      params: [user.id, ...extra.params, user.id],
    },
  };
  const byRole = [...new Set(user.roles)].map((role): ScopeBranch => ({
    sql: `(${queue} and not (candidate_users @> array[?]::text[]) and candidate_role = ?
        and (candidate_where = '{}' or engine_attributes_match(?::jsonb, candidate_where)))`,
    params: [user.id, ...extra.params, user.id, role, JSON.stringify(user.attributes)],
    holds: 'open',
  }));
  return [named, ...byRole];
}

/** {@link visibleCondition} as disjoint branches. */
export function visibleBranches(user: InboxUser): ScopeBranch[] {
  return [
    { sql: `(status = 'open' and assignee = ?)`, params: [user.id], holds: 'open' },
    { sql: `(status <> 'open' and assignee = ?)`, params: [user.id], holds: 'closed' },
    // Completed by me, held by someone else (or nobody). Only a closed task has completed_by
    // (the check task_open_not_completed_check), so it is the closed part alone.
    {
      sql: `(status <> 'open' and completed_by = ? and assignee is distinct from ?)`,
      params: [user.id, user.id],
      holds: 'closed',
    },
    ...candidateBranches(user, { sql: `completed_by is distinct from ?`, params: [user.id] }),
  ];
}

/** {@link viewCondition} as disjoint branches. */
export function viewBranches(view: InboxView, user: InboxUser): ScopeBranch[] {
  switch (view) {
    case 'mine':
      return [{ sql: `(status = 'open' and assignee = ?)`, params: [user.id], holds: 'open' }];
    case 'done':
      return [
        { sql: `(status <> 'open' and completed_by = ?)`, params: [user.id], holds: 'closed' },
        {
          sql: `(status <> 'open' and assignee = ? and completed_by is distinct from ?)`,
          params: [user.id, user.id],
          holds: 'closed',
        },
      ];
    case 'queue':
      return candidateBranches(user);
    case 'unassigned': {
      if (user.overseen === 'everyone')
        return [{ sql: `(status = 'open' and assignee is null)`, params: [], holds: 'open' }];
      const team = (user.overseen ?? []).filter((id) => id !== user.id);
      if (team.length === 0) return candidateBranches(user);
      // A team's queues: each member's candidate rule over the open, unassigned tasks, as one
      // filtered read (not yet cut into indexed branches). Counted from the tasks that name
      // someone of the team or ask for a role one of them holds (the open, unassigned ones of
      // each such role), not from every open, unassigned task.
      const people = [user.id, ...team];
      const roles = [...new Set(user.roles)];
      return [
        {
          ...viewCondition('unassigned', user),
          holds: 'open',
          candidates: {
            sql: `select id from task_named_queue where user_id in (?)
              union select id from task where status = 'open' and assignee is null
                and (candidate_role in (select unnest(roles) from engine_user where id in (?))
                  ${roles.length > 0 ? 'or candidate_role in (?)' : ''})`,
            params: [people, team, ...(roles.length > 0 ? [roles] : [])],
          },
        },
      ];
    }
  }
}
