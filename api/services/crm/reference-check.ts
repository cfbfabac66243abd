import type { EntityManager } from '@mikro-orm/postgresql';
import { existingIds, type ReferencedTable } from '../../../db/crm/existing-ids';
import { unknownReferences, type UnknownReference } from './crm-problems';

export interface Reference {
  table: ReferencedTable;
  kind: string;
  id: string;
  /** JSON Pointer into the body. */
  pointer: string;
  /**
   * Only a record one of these people owns counts (the caller's scope over an owned table):
   * another is named like a missing one, so its existence does not leak. Undefined: any record.
   */
  ownerIds?: readonly string[] | undefined;
}

/** Throws one 422 naming every reference that does not exist or is outside its owners (one query per table and owners). */
export async function assertReferencesExist(em: EntityManager, refs: readonly Reference[]): Promise<void> {
  const groupOf = (r: Reference) => `${r.table} ${r.ownerIds?.join(',') ?? '*'}`;
  const groups = new Map(refs.map((r) => [groupOf(r), r]));
  const found = new Map(
    await Promise.all(
      [...groups].map(
        async ([group, { table, ownerIds }]) =>
          [
            group,
            await existingIds(
              em,
              table,
              refs.filter((r) => groupOf(r) === group).map((r) => r.id),
              ownerIds,
            ),
          ] as const,
      ),
    ),
  );
  const missing: UnknownReference[] = refs
    .filter((r) => !found.get(groupOf(r))?.has(r.id))
    .map((r) => ({ pointer: r.pointer, kind: r.kind, id: r.id }));
  if (missing.length > 0) throw unknownReferences(missing);
}

/** References of order or quote lines to products. */
export function productRefs(lines: readonly { productId: string }[]): Reference[] {
  return lines.map((line, i) => ({
    table: 'products',
    kind: 'product',
    id: line.productId,
    pointer: `/lines/${i}/productId`,
  }));
}
