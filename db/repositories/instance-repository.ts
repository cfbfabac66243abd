import type { EntityManager } from '@mikro-orm/postgresql';
import type { TimelineEntry as TimelineMessage, InstanceStatus } from '../../workflows/messages';
import { ProcessInstance, TimelineEntry } from '../entities';
import { queryKeysetPage } from './keyset-page';
import type { Page } from './page-cursor';
import { timestampParam } from './timestamp-param';

export interface InstanceFilters {
  templateKey?: string;
  status?: InstanceStatus | InstanceStatus[];
  businessKey?: string;
  /** Inclusive lower bound of `startedAt`. */
  startedFrom?: Date | string;
  /** Exclusive upper bound of `startedAt`. */
  startedTo?: Date | string;
  /** From the previous page's `nextCursor`. */
  cursor?: string;
  /** Page size, 1..200 (default 50). */
  limit?: number;
}

/** The instance projection: get one, list newest first with filters and keyset pages, read a timeline. */
export class InstanceRepository {
  async get(em: EntityManager, id: string): Promise<ProcessInstance | null> {
    return em.findOne(ProcessInstance, { id });
  }

  /** Newest first (`startedAt desc, id desc`); every row appears on exactly one page. */
  async list(em: EntityManager, filters: InstanceFilters = {}): Promise<Page<ProcessInstance>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (condition: string, ...values: unknown[]) => { where.push(condition); params.push(...values); };
    if (filters.templateKey !== undefined) add('template_key = ?', filters.templateKey);
    if (filters.status !== undefined) {
      const statuses = ([] as InstanceStatus[]).concat(filters.status);
      // An empty status list matches nothing rather than everything.
      if (statuses.length === 0) add('false'); else add('status in (?)', statuses);
    }
    if (filters.businessKey !== undefined) add('business_key = ?', filters.businessKey);
    if (filters.startedFrom !== undefined) add('started_at >= ?::timestamptz', timestampParam(filters.startedFrom));
    if (filters.startedTo !== undefined) add('started_at < ?::timestamptz', timestampParam(filters.startedTo));
    return queryKeysetPage(em, {
      entity: ProcessInstance, table: 'process_instance', orderColumn: 'started_at', where, params, cursor: filters.cursor, limit: filters.limit,
    });
  }

  /** The instance's timeline in order, as the workflow reported it. */
  async timeline(em: EntityManager, instanceId: string): Promise<TimelineMessage[]> {
    const entries = await em.find(TimelineEntry, { instanceId }, { orderBy: { seq: 'asc' } });
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
