import { ChangeSetType, type ChangeSet, type EventSubscriber, type FlushEventArgs } from '@mikro-orm/postgresql';
import { AuditLog } from '../entities/audit-log.entity';
import { currentAuditActor } from './audit-context';
import { toAuditValues } from './audit-values';

/**
 * Entities whose changes are not recorded row by row, each because the change it holds is
 * recorded elsewhere or is bookkeeping, and a row per change would bury the trail in noise:
 * - AuditLog: the trail itself.
 * - InstanceRow, TimelineRow: the projection of a workflow's state, rewritten on every step; the
 *   business changes a step makes are recorded as the process's own.
 * - TaskEvent: a task's history, a copy of the task row changes that are recorded.
 * - MailOutbox: delivery bookkeeping (attempts, sent_at) of mails whose sending step is recorded.
 * - RaisedEvent: the trigger outbox; raising it goes with the recorded change that raised it, the
 *   dispatcher's attempts are bookkeeping.
 * - IdempotencyKey: a replay guard for starts; the start itself is recorded.
 */
const UNAUDITED_ENTITIES = new Set([
  'AuditLog',
  'InstanceRow',
  'TimelineRow',
  'TaskEvent',
  'MailOutbox',
  'RaisedEvent',
  'IdempotencyKey',
]);

/** Fields whose change alone is bookkeeping (a key's use), not a change worth a row. */
const BOOKKEEPING_FIELDS = new Set(['lastUsedAt', 'updatedAt']);

const ACTIONS: Partial<Record<ChangeSetType, string>> = {
  [ChangeSetType.CREATE]: 'create',
  [ChangeSetType.UPDATE]: 'update',
  [ChangeSetType.UPDATE_EARLY]: 'update',
  [ChangeSetType.DELETE]: 'delete',
  [ChangeSetType.DELETE_EARLY]: 'delete',
};

/**
 * Records every create, update and delete the unit of work flushes, one audit row per changed
 * record with the changed fields before and after, in the flush's own transaction. Writes that
 * bypass the unit of work (query builder, raw SQL) are recorded by their repository method.
 */
export class AuditSubscriber implements EventSubscriber {
  async onFlush({ em, uow }: FlushEventArgs): Promise<void> {
    const changes = uow.getChangeSets().filter(isAudited);
    if (changes.length === 0) return;
    const actor = await currentAuditActor();
    for (const change of changes) {
      const { before, after } = changedFields(change);
      const row = em.create(AuditLog, {
        actor: actor.actor,
        onBehalfOf: actor.onBehalfOf,
        action: `${change.meta.className}.${ACTIONS[change.type] ?? change.type}`,
        subject: `${change.meta.tableName}:${change.getSerializedPrimaryKey() ?? '?'}`,
        ip: actor.ip,
        requestId: actor.requestId,
        userAgent: actor.userAgent,
        before,
        after,
      });
      uow.computeChangeSet(row);
    }
  }
}

function isAudited(change: ChangeSet<object>): boolean {
  if (UNAUDITED_ENTITIES.has(change.meta.className)) return false;
  if (ACTIONS[change.type] !== 'update') return true;
  return Object.keys(change.payload).some((field) => !BOOKKEEPING_FIELDS.has(field));
}

function changedFields(change: ChangeSet<object>): {
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
} {
  const original = (change.originalEntity ?? {}) as Record<string, unknown>;
  const payload = change.payload as Record<string, unknown>;
  switch (ACTIONS[change.type]) {
    case 'create':
      return { before: null, after: toAuditValues(payload) };
    case 'delete':
      return { before: toAuditValues(original), after: null };
    default: {
      const fields = Object.keys(payload);
      return {
        before: toAuditValues(Object.fromEntries(fields.map((field) => [field, original[field] ?? null]))),
        after: toAuditValues(payload),
      };
    }
  }
}
