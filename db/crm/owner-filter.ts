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

/**
 * The same filter as {@link ownerCondition}, one condition per owner: a keyset page reads each
 * owner's newest rows from an (owner, created_at, id) index and merges them, where `in (...)` over
 * several owners would read the table's newest rows and filter them, or sort all of theirs.
 * `undefined` filters nothing; an empty list keeps nothing.
 */
export function ownerBranches(
  ownerIds: readonly string[] | undefined,
  column = 'owner_id',
): { sql: string; params: unknown[] }[] | undefined {
  if (ownerIds === undefined) return undefined;
  return [...new Set(ownerIds)].map((id) => ({ sql: `${column} = ?`, params: [id] }));
}
