import { defineEntity, p } from '@mikro-orm/postgresql';

/** Who did what, when and from where: the operation log the CRM documents ask for. */
export const AuditLogSchema = defineEntity({
  name: 'AuditLog',
  tableName: 'audit_log',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => crypto.randomUUID()),
    occurredAt: p.datetime().onCreate(() => new Date()),
    actor: p.string(),
    action: p.string(),
    subject: p.string(),
    detail: p.json<Record<string, unknown>>().nullable(),
    ip: p.string().nullable(),
    // Lets an activity retry write its entry once: unique when present.
    idempotencyKey: p.string().nullable().unique(),
  },
});

export class AuditLog extends AuditLogSchema.class {}
AuditLogSchema.setClass(AuditLog);
