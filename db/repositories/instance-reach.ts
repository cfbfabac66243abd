import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Which business records' processes a caller may see: every record of the kind, those whose
 * owner is one of `ownerIds`, or none.
 */
export type RecordReach = 'all' | 'none' | { ownerIds: readonly string[] };

/**
 * The instances a caller who may not see them all reaches: those they started, those with a task
 * assigned to them, completed by them or open with them named as a candidate (a candidate role
 * alone is not enough: its attribute filters, a region, are not known here), and those whose business key names a record they may
 * see. A child instance is reached through any of its ancestors.
 */
export interface InstanceReach {
  userId: string;
  leads: RecordReach;
  quotes: RecordReach;
  orders: RecordReach;
  /** Tickets have no owner: support sees them all. */
  tickets: 'all' | 'none';
  /** Survey invitations, by the trigger ref (`ticket:T-1`) their survey process is keyed by. */
  invitations: 'all' | 'none';
}

/**
 * The readers (rows of `instance_reader`, migration 20261236) whose instances `reach` reaches: the
 * caller's own, and one per kind of record the caller sees all of, or per owner of the records of
 * that kind the caller sees. An instance is reached when one of them holds it; the migration's
 * `engine_instance_reader_refresh` decides which readers hold which instance.
 */
export function instanceReadersOf(reach: InstanceReach): string[] {
  const readers = [`user:${reach.userId}`];
  for (const kind of ['leads', 'quotes', 'orders'] as const) {
    const scope = reach[kind];
    if (scope === 'all') readers.push(kind);
    else if (scope !== 'none') readers.push(...new Set(scope.ownerIds.map((owner) => `${kind}:${owner}`)));
  }
  if (reach.tickets === 'all') readers.push('tickets');
  if (reach.invitations === 'all') readers.push('invitations');
  return readers;
}

/**
 * Brings `instance_reader` up to every change committed before this call (the migration's
 * `engine_instance_reader_catch_up`), so that a list or a check read after it sees them: a caller
 * sees the instance they have just started, and no longer one whose task they have just handed on.
 * A separate statement, since a statement sees only what was committed when it began.
 */
export async function catchUpInstanceReaders(em: EntityManager): Promise<void> {
  await em.execute('select engine_instance_reader_catch_up()', [], 'run');
}
