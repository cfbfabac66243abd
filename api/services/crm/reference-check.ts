import type { EntityManager } from '@mikro-orm/postgresql';
import { existingIds, type ReferencedTable } from '../../../db/crm/existing-ids';
import { unknownReferences, type UnknownReference } from './crm-problems';

export interface Reference {
  table: ReferencedTable;
  kind: string;
  id: string;
  /** JSON Pointer into the body. */
  pointer: string;
}

/** Throws one 422 naming every reference that does not exist (one query per table). */
export async function assertReferencesExist(em: EntityManager, refs: readonly Reference[]): Promise<void> {
  const tables = [...new Set(refs.map((r) => r.table))];
  const found = new Map(
    await Promise.all(
      tables.map(
        async (table) =>
          [
            table,
            await existingIds(
              em,
              table,
              refs.filter((r) => r.table === table).map((r) => r.id),
            ),
          ] as const,
      ),
    ),
  );
  const missing: UnknownReference[] = refs
    .filter((r) => !found.get(r.table)?.has(r.id))
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
