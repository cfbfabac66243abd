import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { LeadRepository } from '../../../../db/crm/leads';
import { openOrm, type Orm } from '../../../../db/orm';
import { eventually } from '../../../support/eventually';
import { testServers } from '../../../support/test-env';

/** A transaction kept open until released, so a test can see what others wait for meanwhile. */
interface HeldTransaction<T> {
  /** What the work returned, while the transaction is still open. */
  result: Promise<T>;
  /** The backend the transaction runs on (pg_stat_activity.pid). */
  pid: Promise<number>;
  commit(): Promise<void>;
}

/**
 * The lead locks on the real PostgreSQL: who waits for whom is read from pg_stat_activity (a
 * backend waiting on an advisory lock), never from how long something took.
 */
describe('lead duplicate and assignment locks', () => {
  let orm: Orm;
  beforeAll(async () => {
    orm = await openOrm(testServers().databaseUrl, { poolMax: 8 });
  });
  afterAll(async () => {
    await orm.close();
  });

  function hold<T>(work: (em: EntityManager) => Promise<T>): HeldTransaction<T> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let pidOf!: (pid: number) => void;
    const pid = new Promise<number>((resolve) => (pidOf = resolve));
    let resultOf!: (value: T) => void;
    const result = new Promise<T>((resolve) => (resultOf = resolve));
    const done = orm.em.fork().transactional(async (em) => {
      const [row] = await em.execute<{ pid: number }[]>('select pg_backend_pid() as pid');
      pidOf(row!.pid);
      resultOf(await work(em));
      await released;
    });
    return {
      result,
      pid,
      commit: async () => {
        release();
        await done;
      },
    };
  }

  async function waitsOnAdvisoryLock(pid: number): Promise<void> {
    await eventually(
      async () => {
        const [row] = await orm.em
          .fork()
          .execute<{ waiting: boolean }[]>(
            `select wait_event_type = 'Lock' and wait_event = 'advisory' as waiting from pg_stat_activity where pid = ?`,
            [pid],
          );
        return row?.waiting ? true : undefined;
      },
      { description: `backend ${pid} to wait on an advisory lock`, timeoutMs: 10_000, intervalMs: 20 },
    );
  }

  const unique = () => randomUUID().slice(0, 8);

  it('makes a lead sharing a key with one being created wait for it, then find it as its duplicate', async () => {
    const id = unique();
    const first = hold(async (em) => {
      const leads = new LeadRepository(em);
      const duplicate = await leads.findDuplicate({
        email: `buyer-${id}@acme.test`,
        company: `Acme ${id}`,
        contactName: 'Li Lei',
      });
      const lead = await leads.create(
        { source: 'web', company: `Acme ${id}`, contactName: 'Li Lei', email: `buyer-${id}@acme.test` },
        null,
        'test',
      );
      return { duplicate, leadId: lead.id };
    });
    const { duplicate, leadId } = await first.result;
    expect(duplicate).toBeNull();

    // Same e-mail in another case; and, separately, another e-mail but the same company and contact.
    const byEmail = hold((em) =>
      new LeadRepository(em).findDuplicate({
        email: `BUYER-${id}@ACME.test`,
        company: `Other ${id}`,
        contactName: 'Wang',
      }),
    );
    const byName = hold((em) =>
      new LeadRepository(em).findDuplicate({
        email: `else-${id}@acme.test`,
        company: ` ACME  ${id}`,
        contactName: 'li lei',
      }),
    );
    await waitsOnAdvisoryLock(await byEmail.pid);
    await waitsOnAdvisoryLock(await byName.pid);

    await first.commit();
    expect(await byEmail.result).toBe(leadId);
    expect(await byName.result).toBe(leadId);
    await Promise.all([byEmail.commit(), byName.commit()]);
  });

  it('lets a lead sharing no key with one being created check and be created without waiting', async () => {
    const id = unique();
    const first = hold((em) =>
      new LeadRepository(em).findDuplicate({
        email: `a-${id}@acme.test`,
        company: `Acme ${id}`,
        contactName: 'Li Lei',
      }),
    );
    expect(await first.result).toBeNull();
    // Resolves while the first transaction still holds its keys: different keys, different locks.
    const other = await orm.em.fork().transactional(async (em) => {
      const leads = new LeadRepository(em);
      const duplicate = await leads.findDuplicate({
        email: `b-${id}@acme.test`,
        company: `Beta ${id}`,
        contactName: 'Li Lei',
      });
      await leads.create(
        { source: 'web', company: `Beta ${id}`, contactName: 'Li Lei', email: `b-${id}@acme.test` },
        null,
        'test',
      );
      return duplicate;
    });
    expect(other).toBeNull();
    await first.commit();
  });

  it('serialises assignments within a region (any case and spacing) and not across regions', async () => {
    const region = `region-${unique()}`;
    const first = hold((em) => new LeadRepository(em).serialiseAssignments(region));
    await first.result;
    const sameRegion = hold((em) => new LeadRepository(em).serialiseAssignments(`  ${region.toUpperCase()} `));
    await waitsOnAdvisoryLock(await sameRegion.pid);
    await orm.em.fork().transactional((em) => new LeadRepository(em).serialiseAssignments(`other-${region}`));
    await first.commit();
    await sameRegion.result;
    await sameRegion.commit();
  });
});
