import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import type { Json, TaskPriority } from '../../dsl/plan';
import type { OpenTaskParams, TaskStatus } from '../../contracts/engine';
import { TaskEvent, TaskRow } from '../entities';
import { userNameSql } from '../users/user.repository';
import { instanceSummaryJoinSql, type InstanceRef } from './instance-repository';
import { timestampParam } from './keyset-page';
import { pageSize, type Page } from './page-cursor';
import { readPrepared } from './prepared-read';
import { readOnlyRows } from './read-only-rows';
import { recordChange } from './audit-log';
import { TaskOrder, type SortOrder, type TaskSort } from './task-order';
import {
  INBOX_VIEWS,
  viewBranches,
  visibleBranches,
  type InboxUser,
  type InboxView,
  type ScopeBranch,
} from './inbox-scope';

export type TaskCounts = Record<InboxView, number> & {
  /** When a task counted here last changed (ISO 8601, microseconds kept); null when none is. */
  changedAt: string | null;
};

export interface TaskFilters {
  /** One view of the inbox instead of everything the user may see (for {@link TaskRepository.inbox}). */
  view?: InboxView;
  /** Only tasks assigned to this user; `null`: only unassigned tasks. */
  assignee?: string | null;
  candidateRole?: string;
  status?: TaskStatus | TaskStatus[];
  priority?: TaskPriority;
  /** Only tasks whose title contains this text, ignoring case. */
  text?: string;
  /** Only tasks due strictly before this instant. */
  dueBefore?: Date | string;
  templateKey?: string;
  instanceId?: string;
  /** Default: `created`, newest first. */
  sort?: TaskSort;
  /** Default: the sort's own (see DEFAULT_ORDER). */
  order?: SortOrder;
  cursor?: string;
  /** Page size, 1..200 (default 50). */
  limit?: number;
}

/** What a listed task is shown with besides its row, read in the page's own statement. */
export interface TaskListContext {
  /** The listed tasks' instances (absent: the instance row is gone). */
  instances: Map<string, InstanceRef>;
  /** The names of the people the listed tasks are assigned to or were completed by. */
  names: Map<string, string>;
}

/** A page of tasks and what they are shown with. */
export interface TaskPage extends Page<TaskRow> {
  context: TaskListContext;
}

/** One entry of a task's history, keyed for idempotency by (task, eventKey). */
export interface NewTaskEvent {
  taskId: string;
  eventKey: string;
  type: string;
  actor: string | null;
  at: Date;
  detail: Record<string, Json>;
}

/**
 * The task projection and its inbox. A user sees the tasks assigned to them, the tasks they completed, and open
 * unassigned tasks they are a candidate for: named in `candidate_users`, or holding the
 * candidate role with attributes that satisfy the task's `candidate_where`.
 */
export class TaskRepository {
  async get(em: EntityManager, taskId: string): Promise<TaskRow | null> {
    return em.findOne(TaskRow, { id: taskId });
  }

  /**
   * The user's visible tasks (or one view of them), narrowed by `filters`, in the filters' sort
   * (default newest first).
   */
  async inbox(em: EntityManager, user: InboxUser, filters: TaskFilters = {}): Promise<TaskPage> {
    return this.page(em, filters.view ? viewBranches(filters.view, user) : visibleBranches(user), filters);
  }

  /**
   * How many tasks each view holds and when the latest of them changed: what the inbox polls.
   * One statement: a count and latest change per branch of the views (viewBranches), each read
   * from its own index and each read once though several views share it (the queue is most of
   * the unassigned view), so the counts cost the size of one's own queues and history, not of
   * every open task.
   */
  async counts(em: EntityManager, user: InboxUser): Promise<TaskCounts> {
    const branches = new Map<string, { branch: ScopeBranch; views: InboxView[] }>();
    for (const view of INBOX_VIEWS) {
      for (const branch of viewBranches(view, user)) {
        const key = JSON.stringify([branch.sql, branch.params]);
        const entry = branches.get(key) ?? { branch, views: [] };
        entry.views.push(view);
        branches.set(key, entry);
      }
    }
    const read = [...branches.values()];
    // A branch with candidates is counted from them, each task tested in a lateral subquery
    // (`offset 0` keeps the test per candidate; as a join the planner would test every task first).
    const count = (branch: ScopeBranch, b: number) =>
      branch.candidates
        ? `select ${b}, count(*), max(updated_at) from (${branch.candidates.sql}) listed cross join lateral (
             select updated_at from task where task.id = listed.id and ${branch.sql} offset 0) checked`
        : `select ${b}, count(*), max(updated_at) from task where ${branch.sql}`;
    const rows = await em.execute<{ n: string; changed_at: string | null }[]>(
      `with counted (b, n, changed) as (
         ${read.map(({ branch }, b) => count(branch, b)).join(' union all ')}
       )
       select n, (select to_json(max(changed)) #>> '{}' from counted) as changed_at from counted order by b`,
      read.flatMap(({ branch }) => [...(branch.candidates?.params ?? []), ...branch.params]),
    );
    const counts: Record<InboxView, number> = { mine: 0, queue: 0, unassigned: 0, done: 0 };
    read.forEach(({ views }, b) => {
      for (const view of views) counts[view] += Number(rows[b]?.n ?? 0);
    });
    return { ...counts, changedAt: rows[0]?.changed_at ?? null };
  }

  /** Every task matching `filters`, regardless of who may act on it (administrators, reports). */
  async list(em: EntityManager, filters: TaskFilters = {}): Promise<TaskPage> {
    return this.page(em, [{ sql: 'true', params: [], holds: 'any' }], filters);
  }

  /**
   * Inserts the task row unless it exists, assigned to `assignee` (the process's assignee, or who
   * covers for them), keeping the process's own as `opened_assignee`. Raw SQL because "insert unless present" must be one
   * statement (a retry racing the first attempt must neither fail nor write twice), and the
   * array columns are filled from JSON in the same statement. Returns the row this call inserted
   * (managed by `em`, and locked by its transaction as every insert is), or null when it existed.
   */
  async insertOpen(
    em: EntityManager,
    params: OpenTaskParams,
    at: string,
    assignee: string | null = params.assignee,
  ): Promise<TaskRow | null> {
    const inserted = await em.execute<Record<string, unknown>[]>(
      `insert into task (id, instance_id, template_key, step_id, title, description, texts, outcome_labels, assignee,
         opened_assignee, candidate_role, candidate_users, candidate_where, excluded_users, outcomes, form, priority,
         due_at, status, reminders_sent, escalation_level, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, array(select jsonb_array_elements_text(?::jsonb)), ?::jsonb,
         array(select jsonb_array_elements_text(?::jsonb)), array(select jsonb_array_elements_text(?::jsonb)),
         ?::jsonb, ?, ?::timestamptz, 'open', 0, 0, ?, ?)
       on conflict (id) do nothing returning *`,
      [
        params.taskId,
        params.instanceId,
        params.templateKey,
        params.stepId,
        params.title,
        params.description,
        params.texts ? JSON.stringify(params.texts) : null,
        params.outcomeLabels ? JSON.stringify(params.outcomeLabels) : null,
        assignee,
        params.assignee,
        params.candidates.role,
        JSON.stringify(params.candidates.users),
        JSON.stringify(params.candidates.where),
        JSON.stringify(params.excludedUsers ?? []),
        JSON.stringify(params.outcomes),
        params.form ? JSON.stringify(params.form) : null,
        params.priority,
        params.dueAt,
        at,
        at,
      ],
    );
    if (inserted.length === 0) return null;
    await recordChange(em, {
      action: 'TaskRow.create',
      subject: `task:${params.taskId}`,
      after: {
        instanceId: params.instanceId,
        stepId: params.stepId,
        title: params.title,
        assignee,
        candidates: params.candidates,
        excludedUsers: params.excludedUsers ?? [],
        dueAt: params.dueAt,
      },
    });
    return em.map(TaskRow, inserted[0]!);
  }

  /** The task row, locked for this transaction; every writer of a task and its events takes this lock first. */
  async lock(em: EntityManager, taskId: string): Promise<TaskRow | null> {
    return em.findOne(TaskRow, { id: taskId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  }

  /** The event already recorded under this key, read past the identity map (another attempt may have written it). */
  async findEvent(em: EntityManager, taskId: string, eventKey: string): Promise<TaskEvent | null> {
    return em.findOne(TaskEvent, { taskId, eventKey }, { refresh: true });
  }

  /**
   * Inserts the event unless one with its key exists; true when this call inserted it. One
   * statement for the same reason as {@link insertOpen}.
   */
  async recordEvent(em: EntityManager, event: NewTaskEvent): Promise<boolean> {
    const inserted = await em.execute<{ id: string }[]>(
      `insert into task_event (task_id, event_key, type, actor, at, detail) values (?, ?, ?, ?, ?, ?::jsonb)
       on conflict (task_id, event_key) do nothing returning id`,
      [event.taskId, event.eventKey, event.type, event.actor, event.at.toISOString(), JSON.stringify(event.detail)],
    );
    return inserted.length === 1;
  }

  /** What happened to the task, in the order it was recorded. */
  async events(em: EntityManager, taskId: string): Promise<TaskEvent[]> {
    return em.find(TaskEvent, { taskId }, { orderBy: { id: 'asc' } });
  }

  /**
   * One page of the union of `branches` (disjoint scopes), narrowed by `filters`. Several branches
   * are read each in the sort's order up to a page and merged, so each can follow its own index;
   * a branch that cannot hold the statuses asked for is not read at all. The page's instances and
   * people's names come in the same statement, looked up for the page's rows only: a list request
   * is a round trip fewer for each (on this machine each costs about as much CPU as the page).
   */
  private async page(em: EntityManager, branches: ScopeBranch[], filters: TaskFilters): Promise<TaskPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (condition: string, ...values: unknown[]) => {
      where.push(condition);
      params.push(...values);
    };
    if (filters.assignee === null) add('assignee is null');
    else if (filters.assignee !== undefined) add('assignee = ?', filters.assignee);
    if (filters.candidateRole !== undefined) add('candidate_role = ?', filters.candidateRole);
    const statuses = filters.status === undefined ? undefined : ([] as TaskStatus[]).concat(filters.status);
    if (statuses !== undefined) {
      if (statuses.length === 0) add('false');
      else add('status in (?)', statuses);
    }
    if (filters.priority !== undefined) add('priority = ?', filters.priority);
    if (filters.text !== undefined) {
      // The title as any reader sees it: the en one in the column, the zh-CN one among the texts.
      const pattern = `%${filters.text.replace(/[\\%_]/g, '\\$&')}%`;
      add(`(title ilike ? escape '\\' or texts->'zh-CN'->>'title' ilike ? escape '\\')`, pattern, pattern);
    }
    if (filters.dueBefore !== undefined) add('due_at < ?::timestamptz', timestampParam(filters.dueBefore));
    if (filters.templateKey !== undefined) add('template_key = ?', filters.templateKey);
    if (filters.instanceId !== undefined) add('instance_id = ?', filters.instanceId);
    const order = new TaskOrder(filters.sort, filters.order);
    const cursor = filters.cursor === undefined ? undefined : order.after(filters.cursor);
    if (cursor) add(cursor.sql, ...cursor.params);
    const limit = pageSize(filters.limit);
    const read = branches.filter(
      (branch) =>
        branch.holds === 'any' ||
        statuses === undefined ||
        statuses.some((status) => (status === 'open') === (branch.holds === 'open')),
    );
    // The limit is part of the text, as in queryKeysetPage (a generic plan is costed for a page).
    // The branches and their merge carry the sort's keys only; the page's rows are read whole once
    // it is known which they are, by primary key, and only those are formed (the inbox's statement
    // at 100 000 tasks, 12 rounds of 1 000 runs: less of PostgreSQL's CPU in 11, by a median of 12 %).
    const select = (branch: ScopeBranch, columns: string) => {
      if (branch.namedQueue !== undefined) {
        // The person's named queue, read in the sort's order from its index: it has the task's
        // sort keys under the task's own names, so the order, the cursor's place and the columns
        // are its columns here. Each task it lists is checked in the lateral subquery, where those
        // names are the task's; `offset 0` keeps that a lookup per listed task, which the planner
        // would otherwise turn into a join that reads the whole queue and sorts it.
        return {
          sql: `select ${columns} from task_named_queue queued cross join lateral (
              select from task where task.id = queued.id and ${[branch.namedQueue.sql, ...where].join(' and ')}
              offset 0) checked
            where queued.user_id = ?${cursor ? ` and ${cursor.sql}` : ''}
            order by ${order.orderBy} limit ${limit + 1}`,
          params: [...branch.namedQueue.params, ...params, branch.namedQueue.of, ...(cursor?.params ?? [])],
        };
      }
      return {
        sql: `select ${columns} from task where ${[branch.sql, ...where].join(' and ')}
          order by ${order.orderBy} limit ${limit + 1}`,
        params: [...branch.params, ...params],
      };
    };
    const searched = read.length > 0 ? read : [{ sql: 'false', params: [], holds: 'any' } satisfies ScopeBranch];
    // Only the page's ids leave the search, so that the columns read below are the page rows' alone.
    const parts = searched.map((branch) => select(branch, searched.length === 1 ? 'id' : order.keyColumns));
    const idsSql =
      parts.length === 1
        ? parts[0]!.sql
        : `select id from (${parts.map((part) => `(${part.sql})`).join(' union all ')}) merged
            order by ${order.keysOrderBy} limit ${limit + 1}`;
    const pageSql = `select task.*, ${order.selectKeys} from (${idsSql}) listed join task on task.id = listed.id`;
    const instance = instanceSummaryJoinSql('page.instance_id');
    const rows = await readPrepared<Record<string, unknown> & ListedExtras>(
      em,
      `select page.*, ${instance.columns},
         ${userNameSql('page.assignee')} as assignee_name, ${userNameSql('page.completed_by')} as completed_by_name
       from (${pageSql}) page ${instance.join} order by ${order.orderBy}`,
      parts.flatMap((part) => part.params),
      // A search's best plan depends on its word (migration 20261238): never a plan kept for another.
      filters.text === undefined ? 'kept' : 'per-call',
    );
    const pageRows = rows.slice(0, limit);
    const last = pageRows.at(-1);
    const context: TaskListContext = { instances: new Map(), names: new Map() };
    const items = readOnlyRows(
      em,
      TaskRow,
      pageRows.map(
        ({
          sort_lead: _lead,
          sort_created: _created,
          instance_business_key: businessKey,
          instance_version: version,
          assignee_name: assigneeName,
          completed_by_name: completedByName,
          ...row
        }) => {
          const { instance_id: instanceId, template_key: templateKey, assignee, completed_by: completedBy } = row;
          if (version !== null) {
            context.instances.set(instanceId as string, {
              id: instanceId as string,
              businessKey,
              templateKey: templateKey as string,
              version,
            });
          }
          if (assigneeName !== null) context.names.set(assignee as string, assigneeName);
          if (completedByName !== null) context.names.set(completedBy as string, completedByName);
          return row;
        },
      ),
    );
    return { items, nextCursor: rows.length > limit && last ? order.cursorAfter(last) : null, context };
  }
}

/** The columns {@link TaskRepository} adds to a listed task row (see its page). */
interface ListedExtras {
  sort_lead?: string;
  sort_created: string;
  instance_business_key: string | null;
  instance_version: number | null;
  assignee_name: string | null;
  completed_by_name: string | null;
}
