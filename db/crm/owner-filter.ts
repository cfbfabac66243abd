/**
 * A list's owner filter as a SQL condition: `undefined` filters nothing (a reader who sees every
 * record), a list of ids keeps the records one of them owns (a record without an owner is then
 * left out, and an empty list keeps nothing). Applied in the query, so keyset pages stay full.
 */
export function ownerCondition(
  ownerIds: readonly string[] | undefined,
  column = 'owner_id',
): { sql: string; params: unknown[] } {
  if (ownerIds === undefined) return { sql: 'true', params: [] };
  if (ownerIds.length === 0) return { sql: 'false', params: [] };
  // An array parameter expands into the list `in (?)` needs.
  return { sql: `${column} in (?)`, params: [[...ownerIds]] };
}
