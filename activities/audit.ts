import { Type } from 'typebox';
import { appendAuditEntry } from '../db/repositories/audit-log';
import { activityIdempotencyKey, defineActivity } from './activity-definition';

export const RecordAuditParams = Type.Object(
  {
    actor: Type.String({ minLength: 1 }),
    action: Type.String({ minLength: 1 }),
    subject: Type.String({ minLength: 1 }),
    detail: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    ip: Type.Optional(Type.String()),
    idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  },
  { additionalProperties: false },
);

export const RecordAuditResult = Type.Object({ auditId: Type.String() });

export const auditActivities = [
  defineActivity({
    name: 'audit.record',
    contract: { description: 'Write one audit-log entry.', params: RecordAuditParams, result: RecordAuditResult },
    /** Writes one audit entry; a retry returns the entry the first attempt wrote. */
    async run(params, deps) {
      const auditId = await appendAuditEntry(deps.orm.em.fork(), {
        actor: params.actor,
        action: params.action,
        subject: params.subject,
        detail: params.detail ?? null,
        ip: params.ip ?? null,
        idempotencyKey: activityIdempotencyKey(params.idempotencyKey),
        occurredAt: (deps.now ?? (() => new Date()))(),
      });
      return { auditId };
    },
  }),
] as const;
