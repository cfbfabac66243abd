import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditLog } from '../entities';
import { queryKeysetPage, timestampParam } from './keyset-page';
import type { Page } from './page-cursor';

export interface AuditFilter {
  actor?: string;
  /** Exact subject (`customers:C-1`), or a prefix ending in `:` (`customers:`) for a whole table. */
  subject?: string;
  action?: string;
  from?: Date | string;
  to?: Date | string;
  cursor?: string;
  limit?: number;
}

/** Audit entries, newest first, by keyset pages. */
export async function listAuditEntries(em: EntityManager, filter: AuditFilter): Promise<Page<AuditLog>> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.subject !== undefined) {
    if (filter.subject.endsWith(':')) {
      where.push(`starts_with(subject, ?)`);
    } else {
      where.push(`subject = ?`);
    }
    params.push(filter.subject);
  }
  if (filter.from !== undefined) {
    where.push(`occurred_at >= ?::timestamptz`);
    params.push(timestampParam(filter.from));
  }
  if (filter.to !== undefined) {
    where.push(`occurred_at < ?::timestamptz`);
    params.push(timestampParam(filter.to));
  }
  return queryKeysetPage(em, {
    entity: AuditLog,
    table: 'audit_log',
    orderColumn: 'occurred_at',
    equals: { actor: filter.actor, action: filter.action },
    where,
    params,
    cursor: filter.cursor,
    limit: filter.limit,
  });
}

export interface ChainVerification {
  ok: boolean;
  /** Rows whose link and hash were checked. */
  checked: number;
  /** The first row whose link or hash does not hold. */
  firstBrokenSeq?: number;
  detail: string;
  /** The newest row: note it down elsewhere to detect a later removal of the newest rows too. */
  lastSeq: number | null;
  lastHash: string | null;
}

interface BrokenRow {
  seq: string;
  problem: 'link' | 'hash';
}

/**
 * Walks the chain in the database: each row (in seq order) must name the hash of the row before
 * it, and its own hash must be the one its fields give. An edited row fails its hash; a deleted
 * row breaks the link of the row after it; rows whose seq was swapped fail both. Rows committed
 * without a seq (the chaining trigger was bypassed) are reported too.
 */
export async function verifyAuditChain(em: EntityManager): Promise<ChainVerification> {
  const [unchained] = await em.execute<{ count: string }[]>(
    `select count(*) as count from audit_log where seq is null or hash is null`,
  );
  const [broken] = await em.execute<BrokenRow[]>(
    `select seq, case when prev_hash is distinct from expected_prev then 'link' else 'hash' end as problem
       from (select seq, prev_hash, hash,
                    lag(hash) over (order by seq) as expected_prev,
                    audit_log_row_hash(prev_hash, a) as recomputed
               from audit_log a where seq is not null) chain
      where prev_hash is distinct from expected_prev or hash is distinct from recomputed
      order by seq limit 1`,
  );
  const [last] = await em.execute<{ seq: string | null; hash: string | null; count: string }[]>(
    `select max(seq) as seq, (select hash from audit_log where seq is not null order by seq desc limit 1) as hash,
            count(*) as count from audit_log where seq is not null`,
  );
  const checked = Number(last?.count ?? 0);
  const tail = { lastSeq: last?.seq == null ? null : Number(last.seq), lastHash: last?.hash?.trim() ?? null };
  if (broken) {
    const seq = Number(broken.seq);
    return {
      ok: false,
      checked,
      firstBrokenSeq: seq,
      detail:
        broken.problem === 'link'
          ? `Row ${seq} does not follow the row before it: a row was removed or reordered before it.`
          : `Row ${seq} does not match its hash: it was changed after it was written.`,
      ...tail,
    };
  }
  const missing = Number(unchained?.count ?? 0);
  if (missing > 0) {
    return { ok: false, checked, detail: `${missing} row(s) were written outside the chain.`, ...tail };
  }
  return { ok: true, checked, detail: `All ${checked} rows are chained and unchanged.`, ...tail };
}
