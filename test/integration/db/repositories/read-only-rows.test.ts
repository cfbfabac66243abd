import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { LeadRepository } from '../../../../db/crm/leads';
import { Lead } from '../../../../db/crm/leads/lead.entity';
import { openOrm, type Orm } from '../../../../db/orm';
import { testServers } from '../../../support/test-env';

/**
 * A list page's rows (readOnlyRows) read as the entities `em.findOne` returns, for what list
 * serialisers use: the same record, relations by their keys.
 */
describe('read-only list rows', () => {
  let orm: Orm;
  const run = randomUUID().slice(0, 8);
  const owner = `u-ror-${run}`;
  const customer = `C-ror-${run}`;
  beforeAll(async () => {
    orm = await openOrm(testServers().databaseUrl, { poolMax: 2 });
    const em = orm.em.fork();
    await em.execute(`insert into engine_user (id, name, email, roles) values (?, 'Row Owner', ?, '{sales-rep}')`, [
      owner,
      `${owner}@crm.example`,
    ]);
    await em.execute(`insert into customers (id, name, owner_id) values (?, 'Row Customer', ?)`, [customer, owner]);
    await em.execute(
      `insert into leads (id, source, company, contact_name, email, estimated_value_cents, status, owner_id, customer_id, notes, created_at)
       values (?, 'web', 'Row Co', 'Ro W', null, 12345, 'qualified', ?, ?, '[{"key":"n1","text":"hi"}]', '2026-01-02T03:04:05.123456Z'),
              (?, 'fair', 'Row Two', 'Ro Two', 'two@row.example', null, 'new', ?, null, '[]', '2026-01-02T03:04:06Z')`,
      [`L-ror-1-${run}`, owner, customer, `L-ror-2-${run}`, owner],
    );
  });
  afterAll(async () => {
    const em = orm.em.fork();
    await em.execute('delete from leads where owner_id = ?', [owner]);
    await em.execute('delete from customers where id = ?', [customer]);
    await em.execute('delete from engine_user where id = ?', [owner]);
    await orm.close();
  });

  it('give the same records as managed entities, relations by their keys', async () => {
    const leads = new LeadRepository(orm.em.fork());
    const page = await leads.list({ ownerIds: [owner], limit: 10 });
    expect(page.items.map((lead) => lead.id)).toEqual([`L-ror-2-${run}`, `L-ror-1-${run}`]);
    for (const row of page.items) {
      const managed = await new LeadRepository(orm.em.fork()).find(row.id);
      expect(leads.toRecord(row)).toEqual(leads.toRecord(managed!));
      expect(row.notes).toEqual(managed!.notes);
    }
    const [second, first] = page.items;
    expect(first!.owner?.id).toBe(owner);
    expect(first!.customer?.id).toBe(customer);
    expect(second!.customer).toBeNull();
    expect(first!.createdAt).toBeInstanceOf(Date);
    expect(first!.estimatedValueCents).toBe(12345);
  });

  it('refuse what only a managed entity can do, and serialise a relation as its key', async () => {
    const page = await new LeadRepository(orm.em.fork()).list({ ownerIds: [owner], limit: 10 });
    const row = page.items.find((lead) => lead.customer)!;
    expect(row).not.toBeInstanceOf(Lead);
    expect(() => row.owner!.unwrap()).toThrow(/read-only list row/);
    expect(() => row.customer!.getEntity()).toThrow(/read-only list row/);
    await expect(Promise.resolve().then(() => row.owner!.load())).rejects.toThrow(/read-only list row/);
    expect(row.owner!.isInitialized()).toBe(false);
    expect(Object.isFrozen(row.owner)).toBe(true);
    expect(JSON.parse(JSON.stringify({ owner: row.owner, customer: row.customer }))).toEqual({ owner, customer });
  });
});
