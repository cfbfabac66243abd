import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { runAsAuditActor } from '../../../../db/audit/audit-context';
import { Customer } from '../../../../db/crm/customers/customer.entity';
import { EngineUser } from '../../../../db/entities';
import { migrateDatabase, openOrm, type Orm } from '../../../../db/orm';
import { appendAuditEntry } from '../../../../db/repositories/audit-log';
import { verifyAuditChain } from '../../../../db/repositories/audit-trail';
import { createScratchDatabase, type ScratchDatabase } from '../../../support/scratch-database';

/**
 * The audit trail in the database, on a database of its own (the tampering below must not break
 * the shared one): the application role may append but not change, the chain is extended by the
 * database whoever writes, and verification finds an edited, a removed and a moved row.
 */
describe('audit chain and the application role', () => {
  let scratch: ScratchDatabase;
  let owner: Orm;
  let app: Orm;
  beforeAll(async () => {
    scratch = await createScratchDatabase('audit_chain');
    owner = await openOrm(scratch.url, { poolMax: 2 });
    // Rows written before the audit migration are chained by it.
    await owner.migrator.up({ to: 'Migration20261204000000_order_line_discounts' });
    for (const n of [1, 2, 3])
      await owner.em.execute(`insert into audit_log (id, actor, action, subject) values (?, 'old', 'old.entry', ?)`, [
        randomUUID(),
        `old:${n}`,
      ]);
    await migrateDatabase(owner);
    app = await openOrm(scratch.appUrl, { poolMax: 8 });
  });
  afterAll(async () => {
    await app?.close();
    await owner?.close();
    await scratch?.drop();
  });

  const append = (orm: Orm, subject: string) =>
    appendAuditEntry(orm.em.fork(), { actor: 'test', action: 'test.append', subject, idempotencyKey: null });

  it('chains the rows that existed before the migration', async () => {
    const rows = await owner.em.execute<{ seq: string; prev_hash: string | null }[]>(
      `select seq, prev_hash from audit_log where actor = 'old' order by seq`,
    );
    expect(rows.map((r) => Number(r.seq))).toEqual([1, 2, 3]);
    expect(rows[0]!.prev_hash).toBeNull();
    expect(await verifyAuditChain(app.em.fork())).toMatchObject({ ok: true, checked: 3 });
  });

  it('connects as a role that is not the superuser and may insert into audit_log', async () => {
    const [who] = await app.em.execute<{ user: string; superuser: boolean }[]>(
      `select current_user as user, rolsuper as superuser from pg_roles where rolname = current_user`,
    );
    expect(who).toEqual({ user: 'crm_app', superuser: false });
    await append(app, 'inserted-by-app');
    const [row] = await app.em.execute<{ seq: string | null; hash: string | null }[]>(
      `select seq, hash from audit_log where subject = 'inserted-by-app'`,
    );
    expect(row!.seq).not.toBeNull();
    expect(row!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['UPDATE', `update audit_log set actor = 'someone else'`],
    ['DELETE', `delete from audit_log`],
    ['TRUNCATE', `truncate audit_log`],
  ])('refuses %s of audit_log to the application role', async (_verb, statement) => {
    await expect(app.em.execute(statement)).rejects.toThrow(/permission denied/);
  });

  it('overwrites a chain the application tries to forge', async () => {
    const id = randomUUID();
    await app.em.execute(
      `insert into audit_log (id, seq, actor, action, subject, prev_hash, hash) values (?, 999999, 'test', 'forged', 'forged', ?, ?)`,
      [id, 'f'.repeat(64), 'e'.repeat(64)],
    );
    const [row] = await app.em.execute<{ seq: string; prev_hash: string; hash: string }[]>(
      `select seq, prev_hash, hash from audit_log where id = ?`,
      [id],
    );
    expect(Number(row!.seq)).toBeLessThan(999999);
    expect(row!.prev_hash).not.toBe('f'.repeat(64));
    expect(row!.hash).not.toBe('e'.repeat(64));
    expect(await verifyAuditChain(app.em.fork())).toMatchObject({ ok: true });
  });

  it('keeps one unbroken chain under concurrent appends', async () => {
    await Promise.all(
      Array.from({ length: 24 }, (_, n) =>
        app.em.fork().transactional(async (em) => {
          await appendAuditEntry(em, { actor: 'test', action: 'test.concurrent', subject: `c:${n}` });
          await appendAuditEntry(em, { actor: 'test', action: 'test.concurrent', subject: `c:${n}:second` });
        }),
      ),
    );
    const seqs = await app.em.execute<{ seq: string }[]>(`select seq from audit_log order by seq`);
    expect(seqs.map((r) => Number(r.seq))).toEqual(seqs.map((_, i) => i + 1));
    expect(await verifyAuditChain(app.em.fork())).toMatchObject({ ok: true, checked: seqs.length });
  });

  it('records an ORM change with its actor and only the changed fields, secrets redacted', async () => {
    const id = `u-audit-${randomUUID().slice(0, 8)}`;
    await runAsAuditActor(
      () => ({
        actor: 'user:tester',
        onBehalfOf: 'user:tester',
        ip: '198.51.100.4',
        requestId: 'r-1',
        userAgent: 'jest',
      }),
      async () => {
        const em = app.em.fork();
        em.create(EngineUser, {
          id,
          name: 'Audit Subject',
          email: `${id}@example.test`,
          roles: ['sales-rep'],
          attributes: {},
          passwordHash: 'secret-hash-value',
          active: true,
        });
        await em.flush();
        const user = await em.findOneOrFail(EngineUser, { id });
        user.name = 'Audit Subject Renamed';
        await em.flush();
      },
    );
    const rows = await app.em.execute<
      { action: string; actor: string; ip: string; request_id: string; before: unknown; after: unknown }[]
    >(`select action, actor, ip, request_id, before, after from audit_log where subject = ? order by seq`, [
      `engine_user:${id}`,
    ]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ action: 'EngineUser.create', actor: 'user:tester', ip: '198.51.100.4' });
    expect(rows[0]!.after).toMatchObject({ name: 'Audit Subject', passwordHash: '[redacted]' });
    expect(JSON.stringify(rows)).not.toContain('secret-hash-value');
    expect(rows[1]).toMatchObject({
      action: 'EngineUser.update',
      request_id: 'r-1',
      before: { name: 'Audit Subject' },
      after: { name: 'Audit Subject Renamed' },
    });
  });

  it('rolls the audit row back with the change', async () => {
    const id = `C-audit-${randomUUID().slice(0, 8)}`;
    await expect(
      app.em.fork().transactional(async (em) => {
        em.create(Customer, { id, name: 'Rolled back' });
        await em.flush();
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const rows = await app.em.execute(`select 1 from audit_log where subject = ?`, [`customers:${id}`]);
    expect(rows).toEqual([]);
  });

  describe('verification, after the superuser tampered with the trail', () => {
    async function seqOf(subject: string): Promise<number> {
      const [row] = await owner.em.execute<{ seq: string }[]>(`select seq from audit_log where subject = ?`, [subject]);
      return Number(row!.seq);
    }
    async function appendThree(prefix: string): Promise<number[]> {
      for (const n of [1, 2, 3]) await append(app, `${prefix}:${n}`);
      return Promise.all([1, 2, 3].map((n) => seqOf(`${prefix}:${n}`)));
    }
    // Each case repairs what it broke by hand, so the next one starts from a valid chain.
    it('reports an edited row', async () => {
      const [, edited] = await appendThree('edit');
      await owner.em.execute(`update audit_log set actor = 'mallory' where seq = ?`, [edited]);
      expect(await verifyAuditChain(app.em.fork())).toMatchObject({ ok: false, firstBrokenSeq: edited });
      await owner.em.execute(`update audit_log set actor = 'test' where seq = ?`, [edited]);
      expect(await verifyAuditChain(app.em.fork())).toMatchObject({ ok: true });
    });

    it('reports the row after a deleted one', async () => {
      const [, deleted, after] = await appendThree('delete');
      const [saved] = await owner.em.execute<Record<string, unknown>[]>(`select * from audit_log where seq = ?`, [
        deleted,
      ]);
      await owner.em.execute(`delete from audit_log where seq = ?`, [deleted]);
      expect(await verifyAuditChain(app.em.fork())).toMatchObject({ ok: false, firstBrokenSeq: after });
      // Put back as it was, past the triggers (which would re-chain it).
      await owner.em.execute(`alter table audit_log disable trigger user`);
      await owner.em.execute(`insert into audit_log select * from json_populate_record(null::audit_log, ?::json)`, [
        JSON.stringify(saved),
      ]);
      await owner.em.execute(`alter table audit_log enable trigger user`);
      expect(await verifyAuditChain(app.em.fork())).toMatchObject({ ok: true });
    });

    it('reports reordered rows', async () => {
      const [first, second] = await appendThree('reorder');
      await owner.em.execute(`update audit_log set seq = -1 where seq = ?`, [first]);
      await owner.em.execute(`update audit_log set seq = ? where seq = ?`, [first, second]);
      await owner.em.execute(`update audit_log set seq = ? where seq = -1`, [second]);
      expect(await verifyAuditChain(app.em.fork())).toMatchObject({ ok: false, firstBrokenSeq: first });
    });
  });
});
