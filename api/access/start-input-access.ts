import type { EntityManager } from '@mikro-orm/postgresql';
import type { Json, ProcessPlan } from '../../dsl/plan';
import { isTriggerEvent, TRIGGER_EVENTS } from '../../dsl/trigger-events';
import { findRecordOwner, type NamedRecords } from '../../db/crm/record-owner';
import type { UserRepository } from '../../db/users/user.repository';
import type { Principal } from '../principal';
import { notFound } from '../services/crm/crm-problems';
import { mayReadRecords } from './process-access';
import { ownerScopeOf, scopeIncludes } from './record-scope';

/** The trigger payload fields that name a record, and its kind. */
const RECORD_FIELDS: Readonly<Record<string, NamedRecords>> = {
  leadId: 'leads',
  quoteId: 'quotes',
  orderId: 'orders',
  ticketId: 'tickets',
  customerId: 'customers',
};
/** `triggerRef` names a record as `<kind>:<id>` (what survey processes are about). */
const REF_KINDS: Readonly<Record<string, NamedRecords>> = { ticket: 'tickets', order: 'orders' };

/** The records a start input names, by the payload fields of the template's triggers. */
function namedRecords(plan: ProcessPlan, input: Json): { records: NamedRecords; id: string }[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return [];
  const fields = new Set(
    plan.triggers.flatMap((trigger) =>
      isTriggerEvent(trigger.event) ? Object.keys(TRIGGER_EVENTS[trigger.event].properties) : [],
    ),
  );
  const named: { records: NamedRecords; id: string }[] = [];
  for (const field of fields) {
    const value = input[field];
    if (typeof value !== 'string') continue;
    const records = RECORD_FIELDS[field];
    if (records) named.push({ records, id: value });
    const ref = field === 'triggerRef' ? /^([a-z]+):(.+)$/.exec(value) : null;
    const refKind = ref ? REF_KINDS[ref[1]!] : undefined;
    if (ref && refKind) named.push({ records: refKind, id: ref[2]! });
  }
  return named;
}

/**
 * A start by hand of a template its business events start (its triggers) names the records the
 * event would carry: the caller must be able to see each of them, or the start is a 404 like a
 * read of the record would be. Callers who see every record of a kind are not asked (the process
 * reports a record that does not exist). Inputs of templates without triggers are not
 * interpreted: nothing says which of their fields is a record.
 */
export async function assertMayStartFor(
  principal: Principal,
  plan: ProcessPlan,
  input: Json,
  users: UserRepository,
  em: EntityManager,
): Promise<void> {
  for (const { records, id } of namedRecords(plan, input)) {
    const kind = records.slice(0, -1);
    if (!mayReadRecords(principal, records)) throw notFound(kind, id);
    if (records === 'tickets') continue;
    const scope = await ownerScopeOf(principal, records, users, em);
    if (scope.kind === 'all') continue;
    const record = await findRecordOwner(em, records, id);
    if (!record || !scopeIncludes(scope, record.ownerId)) throw notFound(kind, id);
  }
}
