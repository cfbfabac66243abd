import type { EntityManager } from '@mikro-orm/postgresql';
import { decodeCursor, encodeCursor, pageSize, type Page } from '../page-cursor';

export type Row = Record<string, unknown>;

/** Filters collected as SQL fragments with their parameters, in order. */
export class Where {
  readonly conditions: string[] = [];
  readonly params: unknown[] = [];

  add(condition: string, ...values: unknown[]): this {
    this.conditions.push(condition);
    this.params.push(...values);
    return this;
  }

  /** Adds the condition only when the value was given. */
  maybe(value: unknown, condition: string): this {
    return value === undefined ? this : this.add(condition, value);
  }
}

export interface RowPageQuery {
  /** A table name or a parenthesised select aliased as `t`; its rows need `id` and the order column. */
  from: string;
  where: Where;
  cursor: string | undefined;
  limit: number | undefined;
  /** Timestamp column, newest first, `id` breaking ties. Default `created_at`. */
  orderColumn?: string;
}

/**
 * One page of raw rows, newest first, with the same opaque cursors as the engine's lists. The
 * order column is also read as text so the cursor keeps PostgreSQL's microseconds.
 */
export async function queryRowPage(em: EntityManager, query: RowPageQuery): Promise<Page<Row>> {
  const order = query.orderColumn ?? 'created_at';
  const conditions = [...query.where.conditions];
  const params = [...query.where.params];
  if (query.cursor !== undefined) {
    const after = decodeCursor(query.cursor);
    conditions.push(`(t.${order}, t.id) < (?::timestamptz, ?)`);
    params.push(after.at, after.id);
  }
  const limit = pageSize(query.limit);
  const rows = await em.execute<Row[]>(
    `select t.*, t.${order}::text as page_at from ${query.from} t
      ${conditions.length > 0 ? `where ${conditions.join(' and ')}` : ''}
      order by t.${order} desc, t.id desc limit ?`,
    [...params, limit + 1],
  );
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor({ at: String(last['page_at']), id: String(last['id']) }) : null,
  };
}
