import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

/** A statement in PostgreSQL's own form: `$1`, `$2`, … and the values apart from the text. */
export interface PositionalStatement {
  /** Names the prepared statement; the same text always gets the same name. */
  name: string;
  text: string;
  values: Scalar[];
}

type Scalar = string | number | boolean | null;

function isScalar(value: unknown): value is Scalar {
  if (typeof value === 'number') return Number.isFinite(value);
  return value === null || typeof value === 'string' || typeof value === 'boolean';
}

/**
 * The type PostgreSQL gives the value written inline (`7` int, `1.5` numeric, `true` boolean), so a
 * value where nothing else types it (`select ? as flag`) reads back as em.execute reads it. A string
 * or null stays untyped, as its inline literal is: the column it meets types it.
 */
function literalType(value: Scalar): string {
  if (typeof value === 'boolean') return '::boolean';
  if (typeof value !== 'number') return '';
  if (!Number.isInteger(value)) return '::numeric';
  return Math.abs(value) <= 2_147_483_647 ? '::int' : '::bigint';
}

/**
 * How PostgreSQL plans a read: `kept`, once per pooled connection, the plan then kept (a prepared
 * statement, which after its first runs may be one generic plan for any values); `per-call`, for
 * the values of each call (an unnamed statement), for a read whose best plan depends on its values,
 * as a text search's on its word (a word few rows hold: the trigram index; most: the order's index).
 */
export type ReadPlanning = 'kept' | 'per-call';

type ReadObserver = (statement: PositionalStatement, planning: ReadPlanning) => void;
let observer: ReadObserver | undefined;

/**
 * How many distinct texts this process prepares; later new texts are sent unprepared. A list's text
 * varies with its filters, sort, page size and the user's roles, and each connection keeps a plan
 * for each text it prepared until it closes (an inbox page's: ~300 KiB of the connection's memory,
 * measured in pg_backend_memory_contexts): without a bound, a client varying them could make
 * PostgreSQL hold plans without end. At most 50 × ~300 KiB per connection of the pool.
 */
export const PREPARED_TEXTS_PER_PROCESS = 50;
const preparedTexts = new Set<string>();

/** The configurations (one per ORM, shared by its forks) whose reads are never prepared. */
const unprepared = new WeakSet<object>();

/** Every read of this ORM goes through em.execute (DATABASE_PREPARED_STATEMENTS=false: a pooler that does not keep them). */
export function disablePreparedReads(orm: { config: object }): void {
  unprepared.add(orm.config);
}

/**
 * A list read sent as a named prepared statement: each pooled connection parses and plans its text
 * once, and PostgreSQL may keep the plan, where em.execute sends the values inlined, which
 * PostgreSQL parses and plans on every request (planning the inbox's union over `task`'s ~50
 * partial indexes took 1.2-1.5 ms in EXPLAIN, executing it ~0.9 ms). With `planning` `per-call`
 * it is sent unnamed instead: planned for each call's values and kept by no connection (a text
 * search, see ReadPlanning), so it does not count against PREPARED_TEXTS_PER_PROCESS.
 *
 * It falls back to em.execute (same rows, same errors) inside a transaction, which must read
 * through the transaction's own connection, for an ORM opened with `preparedStatements: false`,
 * once PREPARED_TEXTS_PER_PROCESS texts are prepared (for any new text), and for any statement
 * this does not rewrite safely:
 * a value that is neither a scalar nor a non-empty list of scalars, `??` or `\?`, or a count of `?`
 * that does not match the values. Rows come from the same `pg` pool with the same type
 * parsers; driver errors are converted as MikroORM converts them, so an outage still reads as one.
 */
export async function readPrepared<T extends object>(
  em: EntityManager,
  sql: string,
  params: unknown[],
  planning: ReadPlanning = 'kept',
): Promise<T[]> {
  const statement =
    em.getTransactionContext() === undefined && !unprepared.has(em.config) ? positionalStatement(sql, params) : null;
  if (statement === null || (planning === 'kept' && !mayPrepare(statement.name))) return em.execute<T[]>(sql, params);
  observer?.(statement, planning);
  const pool = await em.getConnection().getNativeClient();
  const client = await pool.connect().catch((error: unknown) => {
    throw em.getDriver().convertException(error as Error);
  });
  try {
    const result = await client.query<T>(
      planning === 'kept'
        ? { name: statement.name, text: statement.text, values: statement.values }
        : { text: statement.text, values: statement.values },
    );
    client.release();
    return result.rows;
  } catch (error) {
    // The connection goes: it may hold a statement that can no longer run (below), and a failed
    // read is rare enough that a new connection costs nothing that matters.
    client.release(error as Error);
    // A table's columns changed (a migration) since this connection prepared a `select *` on it:
    // PostgreSQL refuses to run the statement again, so this read goes the unprepared way.
    if (isStalePlan(error)) return em.execute<T[]>(sql, params);
    throw em.getDriver().convertException(error as Error);
  }
}

function mayPrepare(name: string): boolean {
  if (preparedTexts.has(name)) return true;
  if (preparedTexts.size >= PREPARED_TEXTS_PER_PROCESS) return false;
  preparedTexts.add(name);
  return true;
}

/** PostgreSQL's "cached plan must not change result type" (SQLSTATE 0A000). */
function isStalePlan(error: unknown): boolean {
  return (error as { code?: unknown }).code === '0A000' && /cached plan/.test(String((error as Error).message));
}

/**
 * `sql` with each `?` placeholder numbered (`?` inside quotes, identifiers and comments is text),
 * or null when the statement is not one {@link readPrepared} sends itself.
 */
export function positionalStatement(sql: string, params: readonly unknown[]): PositionalStatement | null {
  // Each `?`'s values: one scalar, or the scalars of a list, which MikroORM writes out one after
  // another (`status in (?)`) and so does this, one placeholder each.
  const slots: Scalar[][] = [];
  for (const value of params) {
    if (isScalar(value)) slots.push([value]);
    else if (Array.isArray(value) && value.length > 0 && value.every(isScalar)) slots.push(value);
    else return null;
  }
  const values: Scalar[] = [];
  let text = '';
  let placeholders = 0;
  for (let at = 0; at < sql.length; at++) {
    const char = sql[at]!;
    const closing = char === "'" ? "'" : char === '"' ? '"' : null;
    if (closing !== null) {
      // A quoted literal or identifier, to its closing quote (a doubled quote stays inside).
      let end = at + 1;
      while (end < sql.length && !(sql[end] === closing && sql[end + 1] !== closing))
        end += sql[end] === closing ? 2 : 1;
      text += sql.slice(at, end + 1);
      at = end;
    } else if (char === '-' && sql[at + 1] === '-') {
      const end = sql.indexOf('\n', at);
      text += end < 0 ? sql.slice(at) : sql.slice(at, end + 1);
      at = end < 0 ? sql.length : end;
    } else if (char === '?') {
      const slot = slots[placeholders++];
      if (slot === undefined || sql[at + 1] === '?' || sql[at - 1] === '\\') return null;
      text += slot.map((value) => `$${values.push(value)}${literalType(value)}`).join(', ');
    } else {
      text += char;
    }
  }
  if (placeholders !== slots.length) return null;
  return { name: `read_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`, text, values };
}

/** Test support: how many distinct texts this process has prepared (at most {@link PREPARED_TEXTS_PER_PROCESS}). */
export function preparedTextCount(): number {
  return preparedTexts.size;
}

/** Test support: sees each statement {@link readPrepared} sends itself (one observer at a time). */
export function observePreparedReads(next: ReadObserver | undefined): void {
  observer = next;
}
