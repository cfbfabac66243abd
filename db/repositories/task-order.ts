import { InvalidCursorError } from './page-cursor';

export const TASK_SORTS = ['due', 'priority', 'template', 'created'] as const;
export type TaskSort = (typeof TASK_SORTS)[number];
export type SortOrder = 'asc' | 'desc';

/** The order a sort takes when none is asked for: soonest due, most urgent, templates A–Z, newest. */
export const DEFAULT_ORDER: Record<TaskSort, SortOrder> = {
  due: 'asc',
  priority: 'desc',
  template: 'asc',
  created: 'desc',
};

/** The first sort key of a sort (ties go on by `created_at`, then `id`, in the same direction). */
interface LeadingKey {
  sql: string;
  /** What the cursor's text is cast to when it comes back. */
  cast: string;
  /** Whether a cursor's value can be cast, so a forged one is a 400, not an SQL error. */
  accepts(value: string): boolean;
}

// PostgreSQL's text form of a timestamptz (or ISO 8601), as page-cursor.ts accepts it.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2}){0,2})$/;

function leadingKeyOf(sort: TaskSort, order: SortOrder): LeadingKey | null {
  switch (sort) {
    case 'due':
      // Tasks without a due date come last either way: infinitely late ascending, infinitely early descending.
      return {
        sql: `coalesce(due_at, '${order === 'asc' ? 'infinity' : '-infinity'}'::timestamptz)`,
        cast: 'timestamptz',
        accepts: (value) => TIMESTAMP.test(value) || value === 'infinity' || value === '-infinity',
      };
    case 'priority':
      return {
        sql: `(case priority when 'low' then 0 when 'normal' then 1 when 'high' then 2 else 3 end)`,
        cast: 'integer',
        accepts: (value) => /^[0-3]$/.test(value),
      };
    case 'template':
      // PostgreSQL text cannot hold U+0000.
      return {
        sql: 'template_key',
        cast: 'text',
        accepts: (value) => !value.includes('\u0000'),
      };
    case 'created':
      return null;
  }
}

/**
 * The keyset of one task sort: `order by <leading key>, created_at, id`, all in one direction, so
 * a row-value comparison with the last row of a page is exactly "after it" and every row appears
 * on exactly one page, whatever the sort.
 */
export class TaskOrder {
  private readonly leading: LeadingKey | null;
  private readonly direction: SortOrder;

  constructor(
    readonly sort: TaskSort = 'created',
    order?: SortOrder,
  ) {
    this.direction = order ?? DEFAULT_ORDER[sort];
    this.leading = leadingKeyOf(sort, this.direction);
  }

  /** The extra select list: each key as text, the position a cursor records. */
  get selectKeys(): string {
    return `${this.leading ? `(${this.leading.sql})::text as sort_lead, ` : ''}created_at::text as sort_created`;
  }

  /**
   * What a row of keys only carries to be ordered by {@link keysOrderBy}: the leading key's value
   * itself (as `lead_key`), not the column it is computed from, so that a merge of rows each read
   * in this order is known to be in it and is merged, not sorted.
   */
  get keyColumns(): string {
    return `${this.leading ? `${this.leading.sql} as lead_key, ` : ''}created_at, id`;
  }

  /** The order of rows of {@link keyColumns}. */
  get keysOrderBy(): string {
    const dir = this.direction;
    return `${this.leading ? `lead_key ${dir}, ` : ''}created_at ${dir}, id ${dir}`;
  }

  get orderBy(): string {
    const dir = this.direction;
    return `${this.leading ? `${this.leading.sql} ${dir}, ` : ''}created_at ${dir}, id ${dir}`;
  }

  /** The condition "after the cursor's row", with its parameters. */
  after(cursor: string): { sql: string; params: unknown[] } {
    const position = this.decode(cursor);
    const comparison = this.direction === 'asc' ? '>' : '<';
    if (!this.leading) {
      return { sql: `(created_at, id) ${comparison} (?::timestamptz, ?)`, params: [position.created, position.id] };
    }
    return {
      sql: `(${this.leading.sql}, created_at, id) ${comparison} (?::${this.leading.cast}, ?::timestamptz, ?)`,
      params: [position.lead, position.created, position.id],
    };
  }

  /** The cursor after a row read with {@link selectKeys}. */
  cursorAfter(row: Record<string, unknown>): string {
    const position = [this.sort, this.direction, row.sort_lead ?? null, row.sort_created, row.id];
    return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
  }

  private decode(cursor: string): { lead: string | null; created: string; id: string } {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      throw new InvalidCursorError(cursor);
    }
    if (!Array.isArray(parsed) || parsed.length !== 5) throw new InvalidCursorError(cursor);
    const [sort, order, lead, created, id] = parsed as unknown[];
    // A cursor of another sort would compare unlike values: it is refused rather than misread.
    if (sort !== this.sort || order !== this.direction) throw new InvalidCursorError(cursor);
    if (typeof created !== 'string' || !TIMESTAMP.test(created) || typeof id !== 'string' || id.includes('\u0000')) {
      throw new InvalidCursorError(cursor);
    }
    if (this.leading ? typeof lead !== 'string' || !this.leading.accepts(lead) : lead !== null) {
      throw new InvalidCursorError(cursor);
    }
    return { lead: lead as string | null, created, id };
  }
}
