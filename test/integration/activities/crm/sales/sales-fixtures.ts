import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities, type Activities } from '../../../../../activities';
import { openOrm, type Orm } from '../../../../../db/orm';
import { createMailTransport } from '../../../../../runtime/mailer';
import { testServers } from '../../../../support/test-env';

/**
 * The sales activities on the shared PostgreSQL, and rows to run them on. Every row gets a random
 * id (and regions and roles are random too), so test files never see each other's data.
 */
export interface SalesFixture {
  orm: Orm;
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  /** Runs an activity as Temporal would (activity context included). */
  run<K extends keyof Activities>(
    name: K,
    params: Parameters<Activities[K]>[0],
  ): Promise<Awaited<ReturnType<Activities[K]>>>;
  close(): Promise<void>;
}

export async function openSalesFixture(): Promise<SalesFixture> {
  const orm = await openOrm(testServers().databaseUrl, { poolMax: 6 });
  const mailer = createMailTransport(testServers().smtpUrl);
  const activities = createActivities({
    orm,
    mailer,
    mailFrom: 'outbox@engine.test',
    logger: pino({ level: 'silent' }),
  });
  return {
    orm,
    sql: async (query, params = []) => orm.em.fork().getConnection().execute(query, params),
    run: async (name, params) => {
      const activity = activities[name] as unknown as (p: unknown) => Promise<unknown>;
      // Expected business failures would otherwise be logged as warnings by the mock worker.
      const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
      const result: unknown = await env.run(activity, params);
      return result as never;
    },
    close: async () => {
      mailer.close();
      await orm.close();
    },
  };
}

export const uid = (prefix: string) => `${prefix}-${randomUUID().slice(0, 13)}`;

export async function insertUser(
  f: SalesFixture,
  roles: string[],
  attributes: Record<string, unknown>,
  options: { id?: string; active?: boolean } = {},
): Promise<string> {
  const id = options.id ?? uid('u');
  await f.sql(
    `insert into engine_user (id, name, email, roles, attributes, active, created_at)
     values (?, ?, ?, array(select jsonb_array_elements_text(?::jsonb)), ?::jsonb, ?, now())`,
    [id, `User ${id}`, `${id}@example.test`, JSON.stringify(roles), JSON.stringify(attributes), options.active ?? true],
  );
  return id;
}

export async function insertLead(f: SalesFixture, fields: Record<string, unknown>): Promise<string> {
  const id = uid('lead');
  const row: Record<string, unknown> = {
    id,
    source: 'web',
    company: 'Acme Trading',
    contact_name: 'Zhang Wei',
    status: 'new',
    ...fields,
  };
  const columns = Object.keys(row);
  await f.sql(
    `insert into leads (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`,
    columns.map((c) => row[c]),
  );
  return id;
}

export async function insertCustomer(f: SalesFixture, fields: Record<string, unknown> = {}): Promise<string> {
  const id = uid('cust');
  const row: Record<string, unknown> = { id, name: `Customer ${id}`, grade: 'B', locale: 'en', ...fields };
  const columns = Object.keys(row);
  await f.sql(
    `insert into customers (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`,
    columns.map((c) => row[c]),
  );
  await f.sql('insert into contacts (id, customer_id, name, email, is_primary) values (?, ?, ?, ?, true)', [
    uid('ct'),
    id,
    'Buyer',
    `${id}@example.test`,
  ]);
  return id;
}

export async function insertProduct(
  f: SalesFixture,
  listPriceCents: number,
  options: { productLine?: string; active?: boolean; tiers?: [number, number][] } = {},
): Promise<string> {
  const id = uid('prod');
  await f.sql(
    'insert into products (id, sku, name, product_line, list_price_cents, active) values (?, ?, ?, ?, ?, ?)',
    [id, `SKU-${id}`, `Product ${id}`, options.productLine ?? 'widgets', listPriceCents, options.active ?? true],
  );
  for (const [minQuantity, unitPriceCents] of options.tiers ?? []) {
    await f.sql('insert into price_tiers (id, product_id, min_quantity, unit_price_cents) values (?, ?, ?, ?)', [
      uid('tier'),
      id,
      minQuantity,
      unitPriceCents,
    ]);
  }
  return id;
}

export async function insertWarehouse(f: SalesFixture, name = 'Main'): Promise<string> {
  const id = uid('wh');
  await f.sql('insert into warehouses (id, name, email) values (?, ?, ?)', [id, name, `${id}@example.test`]);
  return id;
}

export async function setStock(f: SalesFixture, productId: string, warehouseId: string, onHand: number): Promise<void> {
  await f.sql(
    `insert into stock (product_id, warehouse_id, on_hand, reserved) values (?, ?, ?, 0)
     on conflict (product_id, warehouse_id) do update set on_hand = excluded.on_hand`,
    [productId, warehouseId, onHand],
  );
}

/** A quote with version 1 and its lines (at list price, unpriced). */
export async function insertQuote(
  f: SalesFixture,
  customerId: string,
  lines: { productId: string; quantity: number }[],
  options: { ownerId?: string; status?: string; requestedDiscountPercent?: number } = {},
): Promise<string> {
  const id = uid('quote');
  const versionId = uid('qv');
  await f.sql('insert into quotes (id, customer_id, owner_id, status) values (?, ?, ?, ?)', [
    id,
    customerId,
    options.ownerId ?? null,
    options.status ?? 'draft',
  ]);
  await f.sql(
    'insert into quote_versions (id, quote_id, version, total_cents, requested_discount_percent) values (?, ?, 1, 0, ?)',
    [versionId, id, options.requestedDiscountPercent ?? 0],
  );
  for (const [index, line] of lines.entries()) {
    await f.sql(
      'insert into quote_lines (id, quote_version_id, line_no, product_id, quantity, unit_price_cents, line_total_cents) values (?, ?, ?, ?, ?, 0, 0)',
      [uid('ql'), versionId, index + 1, line.productId, line.quantity],
    );
  }
  return id;
}

/** A confirmed order with lines, straight in the tables (not through a quote). */
export async function insertOrder(
  f: SalesFixture,
  customerId: string,
  lines: { productId: string; quantity: number }[],
): Promise<string> {
  const id = uid('ord');
  // With the ordered quantity OrderRepository.create keeps on the order.
  await f.sql(
    `insert into orders (id, customer_id, status, total_cents, ordered_quantity) values (?, ?, 'confirmed', 0, ?)`,
    [id, customerId, lines.reduce((sum, line) => sum + line.quantity, 0)],
  );
  for (const [index, line] of lines.entries()) {
    await f.sql('insert into order_lines (id, order_id, line_no, product_id, quantity) values (?, ?, ?, ?, ?)', [
      uid('ol'),
      id,
      index + 1,
      line.productId,
      line.quantity,
    ]);
  }
  return id;
}

export async function stockOf(
  f: SalesFixture,
  productId: string,
  warehouseId: string,
): Promise<{ onHand: number; reserved: number }> {
  const [row] = await f.sql<{ on_hand: number; reserved: number }>(
    'select on_hand, reserved from stock where product_id = ? and warehouse_id = ?',
    [productId, warehouseId],
  );
  return { onHand: Number(row!.on_hand), reserved: Number(row!.reserved) };
}
