import type { EntityManager, EntityName } from '@mikro-orm/postgresql';
import { decodeCursor, encodeCursor, pageSize, type Page } from './page-cursor';
import { readPrepared, type ReadPlanning } from './prepared-read';
import { readOnlyRows } from './read-only-rows';

export interface KeysetQuery<T extends object> {
  entity: EntityName<T>;
  table: string;
  /** The timestamp column pages are ordered by (newest first), with `id` breaking ties. */
  orderColumn: string;
  /** Columns that must equal the value, for each value given; an undefined value does not filter. */
  equals?: Record<string, unknown>;
  /** Further conditions as SQL fragments, with their parameters in order. */
  where?: string[];
  params?: unknown[];
  /**
   * Disjoint conditions of which a row must meet one (e.g. one per owner), each read in page order
   * up to a page and merged, so each can follow an index of its own; an empty list matches nothing.
   */
  anyOf?: { sql: string; params: unknown[] }[];
  /**
   * Read the rows in the order of a derived table's (`through.table`, alias `held`), whose rows
   * name a row of `table` by id in `rowColumn` and carry its `orderColumn`: each of `branches` (a
   * condition on `held`, e.g. one per reader) is read in page order up to a page, and the branches
   * are merged, a row named by several listed once; an empty list of branches matches nothing.
   * Instead of `anyOf`, and without `where` or `equals` (see queryKeysetPage).
   */
  through?: { table: string; rowColumn: string; branches: { sql: string; params: unknown[] }[] };
  cursor: string | undefined;
  limit: number | undefined;
  /**
   * Further values of each listed row, by name: SQL expressions over the page's row (alias `page`),
   * evaluated for the rows of the page only, in the page's own statement (e.g. a count of a child
   * table's rows), and handed back beside the items.
   */
  annotations?: Record<string, string>;
  /** How PostgreSQL plans the page's statement (readPrepared); `per-call` when its best plan depends on a value, as a text search's does. */
  planning?: ReadPlanning;
}

/** A page with its annotations: `annotations[i]` belongs to `items[i]`. */
export interface AnnotatedPage<T> extends Page<T> {
  annotations: Record<string, unknown>[];
}

/** One page of `table`, newest first by (orderColumn, id), after the cursor's position; its items are read-only (see readOnlyRows). */
export async function queryKeysetPage<T extends object>(
  em: EntityManager,
  query: KeysetQuery<T>,
): Promise<AnnotatedPage<T>> {
  const where = [...(query.where ?? [])];
  const params = [...(query.params ?? [])];
  for (const [column, value] of Object.entries(query.equals ?? {})) {
    if (value === undefined) continue;
    where.push(`${column} = ?`);
    params.push(value);
  }
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const limit = pageSize(query.limit);
  const orderBy = `order by ${query.orderColumn} desc, id desc`;
  // The limit is part of the text (an integer from pageSize): a prepared statement's generic plan
  // is then costed for a page, not for an unknown count of rows.
  const order = `${orderBy} limit ${limit + 1}`;
  let parts: { sql: string; params: unknown[] }[];
  if (query.through) {
    const { table: heldTable, rowColumn, branches } = query.through;
    const heldKey = `held.${query.orderColumn}, held.${rowColumn}`;
    // Each branch reads keys only, from an index, up to a page; the merged keys, each once, then
    // fetch their rows. Branches of keys alone let PostgreSQL keep one generic plan for the
    // statement: with each branch fetching its rows in a lateral subquery it planned the statement
    // anew for every request (a manager's 10 branches: 2.16 ms of PostgreSQL's CPU a page, against
    // 0.36 ms, at 100 000 instances). No filter of the listed rows can be tested here: a branch
    // would read on past its page for rows that pass it, all of its rows when none do.
    if (where.length > 0) throw new Error('a list read through a derived table takes no filters of its rows');
    parts = branches.map((branch) => ({
      sql: `select held.${query.orderColumn} as keyset_at, held.${rowColumn} as keyset_id from ${heldTable} held
        where ${branch.sql}${after ? ` and (${heldKey}) < (?::timestamptz, ?)` : ''}
        order by held.${query.orderColumn} desc, held.${rowColumn} desc limit ${limit + 1}`,
      params: [...branch.params, ...(after ? [after.at, after.id] : [])],
    }));
  } else {
    if (after) {
      where.push(`(${query.orderColumn}, id) < (?::timestamptz, ?)`);
      params.push(after.at, after.id);
    }
    const select = (branch: { sql: string; params: unknown[] }) => ({
      sql: `select * from ${query.table} where ${[branch.sql, ...where].join(' and ')} ${order}`,
      params: [...branch.params, ...params],
    });
    parts = (query.anyOf ?? [{ sql: 'true', params: [] }]).map(select);
  }
  const branches = parts.map((part) => `(${part.sql})`).join(' union all ');
  const pageSql =
    parts.length === 0
      ? `select * from ${query.table} where false`
      : query.through
        ? // The merged keys, each once, then their rows.
          `select listed.* from (select distinct on (keyset_at, keyset_id) keyset_at, keyset_id
            from (${branches}) merged order by keyset_at desc, keyset_id desc limit ${limit + 1}) keyset
          cross join lateral (select * from ${query.table} where ${query.table}.id = keyset.keyset_id offset 0) listed
          order by keyset.keyset_at desc, keyset.keyset_id desc`
        : parts.length === 1
          ? parts[0]!.sql
          : `select * from (${branches}) page ${order}`;
  const annotations = Object.entries(query.annotations ?? {});
  const rows = await readPrepared<Record<string, unknown>>(
    em,
    annotations.length === 0
      ? pageSql
      : `select page.*, ${annotations.map(([name, sql]) => `${sql} as "${annotationColumn(name)}"`).join(', ')}
         from (${pageSql}) page ${orderBy}`,
    parts.flatMap((part) => part.params),
    query.planning,
  );
  const pageRows = rows.slice(0, limit);
  const last = pageRows.at(-1);
  // Read off and set to undefined, not deleted: a delete would turn each row into a slow
  // dictionary-mode object for the mapping that follows (the item keeps the name, undefined).
  const columns = annotations.map(([name]) => [name, annotationColumn(name)] as const);
  const annotationValues = pageRows.map((row) => {
    const values: Record<string, unknown> = {};
    for (const [name, column] of columns) {
      values[name] = row[column];
      row[column] = undefined;
    }
    return values;
  });
  return {
    annotations: annotationValues,
    items: readOnlyRows(em, query.entity, pageRows),
    // The raw timestamp text keeps PostgreSQL's microseconds, which a Date would round away.
    nextCursor:
      rows.length > limit && last ? encodeCursor({ at: String(last[query.orderColumn]), id: String(last.id) }) : null,
  };
}

/** A filter bound as SQL text: Dates as ISO 8601, strings as given (cast by `?::timestamptz`). */
export function timestampParam(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : value;
}

/** The column an annotation is read through: a name no table of the page has. */
function annotationColumn(name: string): string {
  if (!/^[a-z][a-zA-Z0-9]*$/.test(name)) throw new Error(`annotation name '${name}' must be a plain identifier`);
  return `annotation__${name}`;
}
