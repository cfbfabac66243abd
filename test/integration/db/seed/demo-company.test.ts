import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadSalesReps } from '../../../../activities/crm/sales/lead-owners';
import { chooseLeadOwner } from '../../../../activities/crm/rules/lead-assignment';
import { migrateDatabase, openOrm, type Orm } from '../../../../db/orm';
import { DEMO_IDS, seedDemoCompany } from '../../../../db/seed/demo-company';
import { DEMO_USERS, seedEngineUsers } from '../../../../db/seed/engine-users';
import { createScratchDatabase, type ScratchDatabase } from '../../../support/scratch-database';
import { TEST_AUTH_SECRET } from '../../../support/test-auth';

const TABLES = [
  'customers',
  'contacts',
  'leads',
  'products',
  'price_tiers',
  'warehouses',
  'stock',
  'suppliers',
  'surveys',
];
const POLICY = { eligibleRoles: ['sales-rep'], requireProductLine: true, managerRole: 'sales-manager' };

/** The demo company on a database of its own: it needs an empty CRM, which the shared one is not. */
describe('seedDemoCompany', () => {
  let scratch: ScratchDatabase;
  let orm: Orm;
  beforeAll(async () => {
    scratch = await createScratchDatabase('demo_company');
    orm = await openOrm(scratch.url, { poolMax: 4 });
    await migrateDatabase(orm);
    await seedEngineUsers(orm.em.fork(), TEST_AUTH_SECRET);
  });
  afterAll(async () => {
    await orm.close();
    await scratch.drop();
  });

  const sql = async <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
    orm.em.fork().execute<T[]>(query, params);
  const rowCounts = async () =>
    Object.fromEntries(
      await Promise.all(
        TABLES.map(async (table) => {
          const [row] = await sql<{ count: string }>(`select count(*) as count from ${table}`);
          return [table, Number(row?.count)] as const;
        }),
      ),
    );

  it('loads once into an empty CRM, however often (and concurrently) it runs', async () => {
    const [first, second] = await Promise.all([seedDemoCompany(orm.em.fork()), seedDemoCompany(orm.em.fork())]);
    const [loaded, skipped] = first.loaded ? [first, second] : [second, first];
    expect(loaded).toEqual({
      loaded: true,
      customers: 4,
      contacts: 4,
      leads: 5,
      products: 4,
      priceTiers: 3,
      warehouses: 2,
      stock: 6,
      suppliers: 2,
      surveys: 1,
    });
    expect(skipped).toMatchObject({ loaded: false, customers: 0, products: 0 });
    const before = await rowCounts();
    expect(before).toEqual({
      customers: 4,
      contacts: 4,
      leads: 5,
      products: 4,
      price_tiers: 3,
      warehouses: 2,
      stock: 6,
      suppliers: 2,
      surveys: 1,
    });

    expect(await seedDemoCompany(orm.em.fork())).toMatchObject({ loaded: false, customers: 0, leads: 0, stock: 0 });
    expect(await rowCounts()).toEqual(before);
  });

  it('has the ids DEMO_IDS names, and only users that exist own its records', async () => {
    const ids = async (table: string) =>
      (await sql<{ id: string }>(`select id from ${table} order by id`)).map((r) => r.id);
    expect(await ids('customers')).toEqual(Object.values(DEMO_IDS.customers).sort());
    expect(await ids('contacts')).toEqual(Object.values(DEMO_IDS.contacts).sort());
    expect(await ids('products')).toEqual(Object.values(DEMO_IDS.products).sort());
    expect(await ids('warehouses')).toEqual(Object.values(DEMO_IDS.warehouses).sort());
    expect(await ids('suppliers')).toEqual(Object.values(DEMO_IDS.suppliers).sort());
    expect(await ids('leads')).toEqual([...DEMO_IDS.leads]);
    const demoUserIds = new Set(DEMO_USERS.map((u) => u.id));
    const { managers, reps, ...others } = DEMO_IDS.users;
    for (const id of [...Object.values(managers), ...Object.values(reps), ...Object.values(others)])
      expect(demoUserIds).toContain(id);
    const owners = await sql<{ owner_id: string }>('select owner_id from customers union select owner_id from leads');
    for (const { owner_id } of owners) expect(demoUserIds).toContain(owner_id);
  });

  it('describes the VIP customer, its primary contact, the price tiers and the survey as specified', async () => {
    const [vip] = await sql(
      `select name, grade, region, discount_rate::float as discount_rate, locale, purchased_volume, owner_id
      from customers where id = ?`,
      [DEMO_IDS.customers.vip],
    );
    expect(vip).toEqual({
      name: '华东精密制造有限公司',
      grade: 'VIP',
      region: 'east',
      discount_rate: 0.08,
      locale: 'zh-CN',
      purchased_volume: 500,
      owner_id: 'u-rep-east-1',
    });
    const contacts = await sql<{ email: string; phone: string; is_primary: boolean }>(
      'select email, phone, is_primary from contacts',
    );
    for (const contact of contacts) {
      expect(contact).toMatchObject({
        email: expect.stringMatching(/@customer\.example$/),
        phone: expect.stringMatching(/^\+861[3-9]\d{9}$/),
        is_primary: true,
      });
    }
    const tiers = await sql<{ product_id: string; min_quantity: number; unit_price_cents: string }>(
      'select product_id, min_quantity, unit_price_cents from price_tiers order by product_id, min_quantity',
    );
    expect(tiers.map((t) => [t.product_id, t.min_quantity, Number(t.unit_price_cents)])).toEqual([
      ['P-CRM-PRO', 20, 270_000],
      ['P-ERP-STD', 10, 900_000],
      ['P-ERP-STD', 50, 800_000],
    ]);
    const [survey] = await sql<{ active: boolean; questions: { id: string; required?: boolean }[] }>(
      'select active, questions from surveys where id = ?',
      [DEMO_IDS.surveys.csat],
    );
    expect(survey?.active).toBe(true);
    expect(survey?.questions.map((q) => q.id)).toEqual(['overall', 'speed', 'comment']);
    expect(survey?.questions[0]?.required).toBe(true);
  });

  it('gives the reps the stated workloads, so new east leads go to the freer rep covering the product', async () => {
    const reps = await loadSalesReps(orm.em.fork(), ['sales-rep']);
    const load = Object.fromEntries(reps.map((r) => [r.id, [r.openLeads, r.capacity]]));
    expect(load).toMatchObject({
      'u-rep-east-1': [3, 10],
      'u-rep-east-2': [1, 10],
      'u-rep-north-1': [0, 8],
      'u-rep-south-1': [0, 0],
    });

    expect(chooseLeadOwner({ region: 'east', productInterest: 'erp' }, reps, POLICY)).toMatchObject({
      outcome: 'assigned',
      repId: 'u-rep-east-2',
    });
    expect(chooseLeadOwner({ region: 'east', productInterest: 'crm' }, reps, POLICY)).toMatchObject({
      outcome: 'assigned',
      repId: 'u-rep-east-1',
    });
    expect(chooseLeadOwner({ region: 'north', productInterest: 'crm' }, reps, POLICY)).toMatchObject({
      outcome: 'assigned',
      repId: 'u-rep-north-1',
    });
    // The only south rep is on leave (capacity 0): the lead goes to the manager queue.
    expect(chooseLeadOwner({ region: 'south', productInterest: 'hardware' }, reps, POLICY)).toMatchObject({
      outcome: 'fallback',
    });
  });

  it('has the label printer as the short item: 3 on hand in all, nothing reserved', async () => {
    const stock = await sql<{ product_id: string; on_hand: string; reserved: string }>(
      'select product_id, sum(on_hand) as on_hand, sum(reserved) as reserved from stock group by product_id order by product_id',
    );
    expect(Object.fromEntries(stock.map((s) => [s.product_id, [Number(s.on_hand), Number(s.reserved)]]))).toEqual({
      'P-CRM-PRO': [700, 0],
      'P-ERP-STD': [1000, 0],
      'P-HW-PRINTER': [3, 0],
      'P-HW-SCAN': [60, 0],
    });
    expect(await sql('select warehouse_id, on_hand from stock where product_id = ?', [DEMO_IDS.shortProduct])).toEqual([
      { warehouse_id: 'WH-BJ', on_hand: 3 },
    ]);
    const [printer] = await sql<{ list_price_cents: string; product_line: string }>(
      'select list_price_cents, product_line from products where id = ?',
      [DEMO_IDS.shortProduct],
    );
    expect([Number(printer?.list_price_cents), printer?.product_line]).toEqual([150_000, 'hardware']);
  });
});
