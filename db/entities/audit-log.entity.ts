import { defineEntity, p } from '@mikro-orm/postgresql';

/**
 * Who did what, on whose behalf, when and from where, with the changed fields before and after.
 * Append-only: the application's role may insert and read it, nothing else. `seq`, `prevHash`
 * and `hash` are set by the database when the inserting transaction commits (the hash chain of
 * Migration20261206000000_audit); what the application puts there is overwritten.
 */
export const AuditLogSchema = defineEntity({
  name: 'AuditLog',
  tableName: 'audit_log',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => crypto.randomUUID()),
    seq: p.bigint('number').nullable(),
    occurredAt: p.datetime().onCreate(() => new Date()),
    actor: p.string(),
    onBehalfOf: p.string().nullable(),
    action: p.string(),
    subject: p.string(),
    detail: p.json<Record<string, unknown>>().nullable(),
    before: p.json<Record<string, unknown>>().nullable(),
    after: p.json<Record<string, unknown>>().nullable(),
    ip: p.string().nullable(),
    requestId: p.string().nullable(),
    userAgent: p.string().length(512).nullable(),
    // Lets an activity retry write its entry once: unique when present.
    idempotencyKey: p.string().nullable().unique(),
    prevHash: p.string().length(64).nullable(),
    hash: p.string().length(64).nullable(),
  },
});

export class AuditLog extends AuditLogSchema.class {}
AuditLogSchema.setClass(AuditLog);
