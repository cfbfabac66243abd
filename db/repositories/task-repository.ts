import type { EntityManager } from '@mikro-orm/postgresql';
import type { TaskStatus } from '../../workflows/messages';
import { Task, TaskEvent } from '../entities';
import { queryKeysetPage } from './keyset-page';
import type { Page } from './page-cursor';
import { timestampParam } from './timestamp-param';

/** Whose inbox: the caller as the API knows them. */
export interface InboxUser {
  id: string;
  roles: readonly string[];
  attributes: Record<string, unknown>;
}

export interface TaskFilters {
  /** Only tasks assigned to this user; `null`: only unassigned tasks. */
  assignee?: string | null;
  candidateRole?: string;
  status?: TaskStatus | TaskStatus[];
  /** Only tasks due strictly before this instant. */
  dueBefore?: Date | string;
  templateKey?: string;
  instanceId?: string;
  cursor?: string;
  /** Page size, 1..200 (default 50). */
  limit?: number;
}

/**
 * The task inbox. A user sees the tasks assigned to them, the tasks they completed, and open
 * unassigned tasks they are a candidate for: named in `candidate_users`, or holding the
 * candidate role with attributes that satisfy the task's `candidate_where`.
 */
export class TaskRepository {
  async get(em: EntityManager, taskId: string): Promise<Task | null> {
    return em.findOne(Task, { id: taskId });
  }

  /** The user's visible tasks, newest first (`createdAt desc, id desc`), narrowed by `filters`. */
  async inbox(em: EntityManager, user: InboxUser, filters: TaskFilters = {}): Promise<Page<Task>> {
    const visible = `(assignee = ? or completed_by = ? or (status = 'open' and assignee is null and (
        candidate_users @> array[?]::text[]
        ${user.roles.length > 0 ? 'or (candidate_role in (?) and engine_attributes_match(?::jsonb, candidate_where))' : ''})))`;
    const params: unknown[] = [user.id, user.id, user.id];
    if (user.roles.length > 0) params.push([...user.roles], JSON.stringify(user.attributes));
    return this.page(em, [visible], params, filters);
  }

  /** Every task matching `filters`, regardless of who may act on it (administrators, reports). */
  async list(em: EntityManager, filters: TaskFilters = {}): Promise<Page<Task>> {
    return this.page(em, [], [], filters);
  }

  /** What happened to the task, in the order it was recorded. */
  async events(em: EntityManager, taskId: string): Promise<TaskEvent[]> {
    return em.find(TaskEvent, { taskId }, { orderBy: { id: 'asc' } });
  }

  private async page(em: EntityManager, where: string[], params: unknown[], filters: TaskFilters): Promise<Page<Task>> {
    const add = (condition: string, ...values: unknown[]) => { where.push(condition); params.push(...values); };
    if (filters.assignee === null) add('assignee is null');
    else if (filters.assignee !== undefined) add('assignee = ?', filters.assignee);
    if (filters.candidateRole !== undefined) add('candidate_role = ?', filters.candidateRole);
    if (filters.status !== undefined) {
      const statuses = ([] as TaskStatus[]).concat(filters.status);
      if (statuses.length === 0) add('false'); else add('status in (?)', statuses);
    }
    if (filters.dueBefore !== undefined) add('due_at < ?::timestamptz', timestampParam(filters.dueBefore));
    if (filters.templateKey !== undefined) add('template_key = ?', filters.templateKey);
    if (filters.instanceId !== undefined) add('instance_id = ?', filters.instanceId);
    return queryKeysetPage(em, {
      entity: Task, table: 'task', orderColumn: 'created_at', where, params, cursor: filters.cursor, limit: filters.limit,
    });
  }
}
