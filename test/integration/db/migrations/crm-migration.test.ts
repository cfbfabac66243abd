import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { migrateDatabase, openOrm, type Orm } from '../../../../db/orm';
import { Product } from '../../../../db/crm/catalogue/catalogue.entity';
import { Customer } from '../../../../db/crm/customers/customer.entity';
import { Stock, Warehouse } from '../../../../db/crm/orders/inventory.entity';
import {
  createScratchDatabase,
  LIST_TABLES_SQL,
  migrationsFrom,
  type ScratchDatabase,
} from '../../../support/scratch-database';

const CRM_TABLES = [
  'contacts',
  'customers',
  'leads',
  'opportunities',
  'order_lines',
  'orders',
  'price_tiers',
  'products',
  'purchase_requests',
  'quote_lines',
  'quote_versions',
  'quotes',
  'shipment_notes',
  'stock',
  'stock_reservations',
  'suppliers',
  'survey_invitations',
  'survey_responses',
  'surveys',
  'tickets',
  'warehouses',
];
/** Tables of migrations after the CRM one. */
const LATER_TABLES = [
  'api_key',
  'auth_session',
  'instance_reader',
  'instance_reader_change',
  'out_of_office',
  'process_event',
  'process_incident',
  'signed_link_use',
  'survey_answers',
  'task_named_queue',
  'task_view',
  'template_scenario',
  'webhook_attempt',
  'webhook_delivery',
  'webhook_subscription',
];
const EARLIER_TABLES = [
  'audit_log',
  'engine_user',
  'idempotency_key',
  'mail_outbox',
  'process_instance',
  'task',
  'task_event',
  'template_draft',
  'template_version',
  'timeline_entry',
];

/** The CRM migration on a database of its own: what up creates, what the database refuses, what down removes. */
describe('Migration20261201000000_crm', () => {
  let scratch: ScratchDatabase;
  let orm: Orm;
  beforeAll(async () => {
    scratch = await createScratchDatabase('crm_migration');
    orm = await openOrm(scratch.url, { poolMax: 2 });
    await migrateDatabase(orm);
  });
  afterAll(async () => {
    await orm.close();
    await scratch.drop();
  });

  const sql = async <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
    orm.em.getConnection().execute<T[]>(query, params);
  const tables = async () => (await sql<{ table_name: string }>(LIST_TABLES_SQL)).map((t) => t.table_name);
  /** Runs a statement that must fail (autocommit, so a failure leaves nothing behind); returns its error. */
  const refused = async (query: string, params: unknown[] = []) => {
    try {
      await sql(query, params);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error(`not refused: ${query}`);
  };

  it('creates every CRM table next to the earlier and later ones', async () => {
    expect(await tables()).toEqual([...CRM_TABLES, ...EARLIER_TABLES, ...LATER_TABLES].sort());
  });

  it('maps every CRM entity onto its table', async () => {
    const em = orm.em.fork();
    const customer = em.create(Customer, {
      id: `cust-${randomUUID()}`,
      name: 'Acme 上海',
      grade: 'VIP',
      discountRate: 0.0525,
      birthday: '1980-02-29',
    });
    const product = em.create(Product, {
      id: `prod-${randomUUID()}`,
      sku: `SKU-${randomUUID()}`,
      name: 'Widget',
      productLine: 'widgets',
      listPriceCents: 9_007_199_254,
    });
    const warehouse = em.create(Warehouse, { id: `wh-${randomUUID()}`, name: 'Shanghai' });
    await em.flush();
    em.create(Stock, { productId: product.id, warehouseId: warehouse.id, onHand: 10, reserved: 3 });
    await em.flush();

    const read = orm.em.fork();
    const back = await read.findOneOrFail(Customer, customer.id);
    expect(back).toMatchObject({
      grade: 'VIP',
      discountRate: 0.0525,
      locale: 'zh-CN',
      purchasedVolume: 0,
      birthday: '1980-02-29',
    });
    expect((await read.findOneOrFail(Product, product.id)).listPriceCents).toBe(9_007_199_254);
    expect(await read.findOneOrFail(Stock, { productId: product.id, warehouseId: warehouse.id })).toMatchObject({
      onHand: 10,
      reserved: 3,
    });
    // Every entity's table and columns exist: a query selecting all mapped columns runs.
    for (const meta of Object.values(orm.getMetadata().getAll())) {
      await expect(orm.em.fork().find(meta.class, {}, { limit: 1 })).resolves.toBeDefined();
    }
  });

  it('refuses negative stock, reservations above what is on hand and unknown grades', async () => {
    await sql(
      `insert into "products" ("id", "sku", "name", "product_line", "list_price_cents") values ('p-c', 'SKU-C', 'C', 'x', 100)`,
    );
    await sql(`insert into "warehouses" ("id", "name") values ('w-c', 'W')`);
    expect(
      await refused(`insert into "stock" ("product_id", "warehouse_id", "on_hand") values ('p-c', 'w-c', -1)`),
    ).toMatch(/check constraint/);
    expect(
      await refused(
        `insert into "stock" ("product_id", "warehouse_id", "on_hand", "reserved") values ('p-c', 'w-c', 5, -1)`,
      ),
    ).toMatch(/check constraint/);
    expect(
      await refused(
        `insert into "stock" ("product_id", "warehouse_id", "on_hand", "reserved") values ('p-c', 'w-c', 5, 6)`,
      ),
    ).toMatch(/stock_reserved_within_on_hand_check/);
    await sql(`insert into "stock" ("product_id", "warehouse_id", "on_hand", "reserved") values ('p-c', 'w-c', 5, 5)`);
    expect(await refused(`update "stock" set "on_hand" = 4 where "product_id" = 'p-c'`)).toMatch(
      /stock_reserved_within_on_hand_check/,
    );
    expect(await refused(`update "stock" set "reserved" = "reserved" + 1 where "product_id" = 'p-c'`)).toMatch(
      /stock_reserved_within_on_hand_check/,
    );

    expect(await refused(`insert into "customers" ("id", "name", "grade") values ('c-bad', 'Bad', 'D')`)).toMatch(
      /check constraint/,
    );
    expect(
      await refused(`insert into "customers" ("id", "name", "discount_rate") values ('c-bad', 'Bad', 1.5)`),
    ).toMatch(/check constraint|numeric field overflow/);
    expect(await refused(`insert into "customers" ("id", "name", "locale") values ('c-bad', 'Bad', 'fr')`)).toMatch(
      /check constraint/,
    );
    await sql(`insert into "customers" ("id", "name", "grade", "discount_rate") values ('c-ok', 'Good', 'A', 0.1)`);
  });

  it('refuses other invalid rows and duplicate idempotent writes', async () => {
    await sql(
      `insert into "products" ("id", "sku", "name", "product_line", "list_price_cents") values ('p-d', 'SKU-D', 'D', 'x', 100)`,
    );
    await sql(`insert into "warehouses" ("id", "name") values ('w-d', 'W')`);
    await sql(`insert into "stock" ("product_id", "warehouse_id", "on_hand") values ('p-d', 'w-d', 10)`);
    await sql(`insert into "customers" ("id", "name") values ('c-d', 'D')`);
    expect(
      await refused(
        `insert into "products" ("id", "sku", "name", "product_line", "list_price_cents") values ('p-d2', 'SKU-D', 'D', 'x', 1)`,
      ),
    ).toMatch(/products_sku_unique/);
    expect(
      await refused(
        `insert into "products" ("id", "sku", "name", "product_line", "list_price_cents") values ('p-d3', 'SKU-D3', 'D', 'x', -1)`,
      ),
    ).toMatch(/check constraint/);
    await sql(
      `insert into "price_tiers" ("id", "product_id", "min_quantity", "unit_price_cents") values ('t-1', 'p-d', 10, 90)`,
    );
    expect(
      await refused(
        `insert into "price_tiers" ("id", "product_id", "min_quantity", "unit_price_cents") values ('t-2', 'p-d', 10, 80)`,
      ),
    ).toMatch(/unique/);

    await sql(`insert into "orders" ("id", "customer_id") values ('o-d', 'c-d')`);
    expect(await refused(`insert into "orders" ("id", "customer_id", "status") values ('o-x', 'c-d', 'lost')`)).toMatch(
      /check constraint/,
    );
    expect(
      await refused(
        `insert into "order_lines" ("id", "order_id", "line_no", "product_id", "quantity") values ('ol-0', 'o-d', 1, 'p-d', 0)`,
      ),
    ).toMatch(/check constraint/);
    await sql(
      `insert into "order_lines" ("id", "order_id", "line_no", "product_id", "quantity") values ('ol-1', 'o-d', 1, 'p-d', 4)`,
    );
    expect(await refused(`update "order_lines" set "shipped_quantity" = 5 where "id" = 'ol-1'`)).toMatch(
      /check constraint/,
    );

    await sql(
      `insert into "stock_reservations" ("id", "order_line_id", "product_id", "warehouse_id", "quantity") values ('r-1', 'ol-1', 'p-d', 'w-d', 4)`,
    );
    expect(
      await refused(
        `insert into "stock_reservations" ("id", "order_line_id", "product_id", "warehouse_id", "quantity") values ('r-2', 'ol-1', 'p-d', 'w-d', 4)`,
      ),
    ).toMatch(/stock_reservations_order_line_id_warehouse_id_unique/);
    await sql(
      `insert into "shipment_notes" ("id", "order_id", "warehouse_id", "idempotency_key", "lines") values ('sn-1', 'o-d', 'w-d', 'ship-1', '[]')`,
    );
    expect(
      await refused(
        `insert into "shipment_notes" ("id", "order_id", "warehouse_id", "idempotency_key", "lines") values ('sn-2', 'o-d', 'w-d', 'ship-1', '[]')`,
      ),
    ).toMatch(/unique/);
    await sql(
      `insert into "purchase_requests" ("id", "idempotency_key", "product_id", "quantity", "order_id") values ('pr-1', 'buy-1', 'p-d', 6, 'o-d')`,
    );
    expect(
      await refused(
        `insert into "purchase_requests" ("id", "idempotency_key", "product_id", "quantity") values ('pr-2', 'buy-1', 'p-d', 6)`,
      ),
    ).toMatch(/unique/);

    await sql(`insert into "quotes" ("id", "customer_id") values ('q-d', 'c-d')`);
    await sql(
      `insert into "quote_versions" ("id", "quote_id", "version", "total_cents") values ('qv-1', 'q-d', 1, 100)`,
    );
    expect(
      await refused(
        `insert into "quote_versions" ("id", "quote_id", "version", "total_cents") values ('qv-2', 'q-d', 1, 100)`,
      ),
    ).toMatch(/quote_versions_quote_id_version_unique/);
    expect(await refused(`update "quotes" set "status" = 'lost' where "id" = 'q-d'`)).toMatch(/check constraint/);
    expect(
      await refused(`insert into "opportunities" ("id", "customer_id", "probability") values ('op-x', 'c-d', 101)`),
    ).toMatch(/check constraint/);
    expect(
      await refused(
        `insert into "contacts" ("id", "customer_id", "name", "phone") values ('ct-x', 'c-d', 'X', '13800138000')`,
      ),
    ).toMatch(/check constraint/);
    await sql(
      `insert into "contacts" ("id", "customer_id", "name", "phone") values ('ct-1', 'c-d', 'X', '+8613800138000')`,
    );
    expect(await refused(`insert into "tickets" ("id", "subject", "status") values ('tk-x', 'S', 'lost')`)).toMatch(
      /check constraint/,
    );
    expect(
      await refused(
        `insert into "leads" ("id", "source", "company", "contact_name", "status") values ('l-x', 'web', 'A', 'B', 'won')`,
      ),
    ).toMatch(/check constraint/);

    await sql(`insert into "surveys" ("id", "name") values ('s-d', 'CSAT')`);
    await sql(
      `insert into "survey_invitations" ("id", "survey_id", "email", "trigger_ref") values ('si-1', 's-d', 'a@b.cn', 'ticket:tk-1')`,
    );
    expect(
      await refused(
        `insert into "survey_invitations" ("id", "survey_id", "email", "trigger_ref") values ('si-2', 's-d', 'a@b.cn', 'ticket:tk-1')`,
      ),
    ).toMatch(/unique/);
    await sql(
      `insert into "survey_responses" ("id", "invitation_id", "answers", "score") values ('sr-1', 'si-1', '{}', 4.5)`,
    );
    expect(
      await refused(`insert into "survey_responses" ("id", "invitation_id", "answers") values ('sr-2', 'si-1', '{}')`),
    ).toMatch(/unique/);
  });

  it('indexes leads for duplicate detection by e-mail and by company and contact name', async () => {
    const indexes = (await sql<{ indexdef: string }>("select indexdef from pg_indexes where tablename = 'leads'")).map(
      (i) => i.indexdef,
    );
    expect(indexes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/lower\(email\)/),
        expect.stringMatching(/lower\(company\), lower\(contact_name\)/),
      ]),
    );
  });

  it('rolls back exactly the CRM tables, and applies again', async () => {
    await orm.migrator.down({ to: 'Migration20261126000000_engine' });
    expect(await tables()).toEqual(EARLIER_TABLES);
    expect(await migrateDatabase(orm)).toEqual(migrationsFrom('Migration20261201000000_crm'));
    expect(await tables()).toEqual([...CRM_TABLES, ...EARLIER_TABLES, ...LATER_TABLES].sort());
  });
});
