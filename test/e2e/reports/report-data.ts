import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Known rows for the reports' tests, written straight into the tables (no process starts): every
 * customer and lead is in one region of the test's own, so the numbers are exact whatever else
 * the shared database holds. Column names as in the migrations; `null` left out means the default.
 */
export async function insertRows(
  em: EntityManager,
  table: string,
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  for (const row of rows) {
    const columns = Object.keys(row);
    const values = columns.map((column) => {
      const value = row[column];
      return value !== null && typeof value === 'object' && !(value instanceof Date) ? JSON.stringify(value) : value;
    });
    await em.execute(
      `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`,
      values,
    );
  }
}
