import { AuditLog } from '../db/entities';
import type { RecordAuditParams, RecordAuditResult } from './catalog';
import type { ActivityDeps } from './deps';
import { activityIdempotencyKey } from './idempotency-key';


export function createAuditActivities(deps: ActivityDeps) {
  return {
    /** Writes one audit entry; a retry returns the entry the first attempt wrote. */
    async 'audit.record'(params: RecordAuditParams): Promise<RecordAuditResult> {
      const key = activityIdempotencyKey(params.idempotencyKey);
      const em = deps.orm.em.fork();
      await em.getConnection().execute(
        `insert into audit_log (id, occurred_at, actor, action, subject, detail, ip, idempotency_key)
         values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (idempotency_key) do nothing`,
        [crypto.randomUUID(), (deps.now ?? (() => new Date()))(), params.actor, params.action, params.subject,
          params.detail ? JSON.stringify(params.detail) : null, params.ip ?? null, key],
      );
      const row = await em.findOneOrFail(AuditLog, { idempotencyKey: key });
      return { auditId: row.id };
    },
  };
}
