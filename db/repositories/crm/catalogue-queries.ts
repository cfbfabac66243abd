import type { EntityManager } from '@mikro-orm/postgresql';
import type { CreateProductInput, CreateSupplierInput, CreateWarehouseInput } from '../../crm-schemas';
import type { Page } from '../page-cursor';
import { queryRowPage, Where, type Row } from './row-page';
import { iso, isoAt, num, one, str } from './row-values';

export function toProduct(row: Row) {
  return {
    id: String(row['id']), sku: String(row['sku']), name: String(row['name']), productLine: String(row['product_line']),
    listPriceCents: num(row['list_price_cents']), active: Boolean(row['active']), createdAt: iso(row['created_at']),
  };
}
export const toPriceTier = (row: Row) => ({ minQuantity: num(row['min_quantity']), unitPriceCents: num(row['unit_price_cents']) });
export const toWarehouse = (row: Row) => ({
  id: String(row['id']), name: String(row['name']), region: str(row['region']), email: str(row['email']), createdAt: iso(row['created_at']),
});
export const toStock = (row: Row) => ({
  productId: String(row['product_id']), warehouseId: String(row['warehouse_id']), onHand: num(row['on_hand']),
  reserved: num(row['reserved']), available: num(row['on_hand']) - num(row['reserved']), updatedAt: isoAt(row['updated_at']),
});
export const toSupplier = (row: Row) => ({
  id: String(row['id']), name: String(row['name']), email: str(row['email']), phone: str(row['phone']),
  productLines: row['product_lines'] as string[], createdAt: iso(row['created_at']),
});

export function listProducts(em: EntityManager, f: { productLine?: string; active?: boolean; cursor?: string; limit?: number }): Promise<Page<Row>> {
  const where = new Where().maybe(f.productLine, 't.product_line = ?').maybe(f.active, 't.active = ?');
  return queryRowPage(em, { from: 'products', where, cursor: f.cursor, limit: f.limit });
}

export function getProduct(em: EntityManager, id: string): Promise<Row | null> {
  return one(em.execute<Row[]>('select * from products where id = ?', [id]));
}

export function listPriceTiers(em: EntityManager, productId: string): Promise<Row[]> {
  return em.execute<Row[]>('select * from price_tiers where product_id = ? order by min_quantity', [productId]);
}

/** Inserts the product and its tiers; null when the SKU is taken. */
export async function insertProduct(em: EntityManager, id: string, input: CreateProductInput, tierId: () => string): Promise<Row | null> {
  const row = await one(em.execute<Row[]>(
    `insert into products (id, sku, name, product_line, list_price_cents) values (?, ?, ?, ?, ?)
     on conflict (sku) do nothing returning *`,
    [id, input.sku, input.name, input.productLine, input.listPriceCents],
  ));
  if (!row) return null;
  for (const tier of input.priceTiers ?? []) {
    await em.execute('insert into price_tiers (id, product_id, min_quantity, unit_price_cents) values (?, ?, ?, ?)',
      [tierId(), id, tier.minQuantity, tier.unitPriceCents]);
  }
  return row;
}

export function listWarehouses(em: EntityManager, f: { region?: string; cursor?: string; limit?: number }): Promise<Page<Row>> {
  return queryRowPage(em, { from: 'warehouses', where: new Where().maybe(f.region, 't.region = ?'), cursor: f.cursor, limit: f.limit });
}

export function insertWarehouse(em: EntityManager, id: string, input: CreateWarehouseInput): Promise<Row | null> {
  return one(em.execute<Row[]>(
    'insert into warehouses (id, name, region, email) values (?, ?, ?, ?) on conflict (id) do nothing returning *',
    [id, input.name, input.region ?? null, input.email ?? null],
  ));
}

export function listStock(em: EntityManager, f: { productId?: string; warehouseId?: string }): Promise<Row[]> {
  const where = new Where().maybe(f.productId, 'product_id = ?').maybe(f.warehouseId, 'warehouse_id = ?');
  return em.execute<Row[]>(
    `select * from stock ${where.conditions.length > 0 ? `where ${where.conditions.join(' and ')}` : ''} order by product_id, warehouse_id limit 1000`,
    where.params,
  );
}

export function lockStock(em: EntityManager, productId: string, warehouseId: string): Promise<Row | null> {
  return one(em.execute<Row[]>('select * from stock where product_id = ? and warehouse_id = ? for update', [productId, warehouseId]));
}

/** Sets on-hand stock (inserting the row if missing); the caller checked it is not below reserved. */
export async function setStockOnHand(em: EntityManager, productId: string, warehouseId: string, onHand: number): Promise<Row> {
  const rows = await em.execute<Row[]>(
    `insert into stock (product_id, warehouse_id, on_hand) values (?, ?, ?)
     on conflict (product_id, warehouse_id) do update set on_hand = excluded.on_hand, updated_at = now() returning *`,
    [productId, warehouseId, onHand],
  );
  return rows[0]!;
}

/** Adds received goods to on-hand stock (inserting the row if missing). */
export async function addStockOnHand(em: EntityManager, productId: string, warehouseId: string, quantity: number): Promise<Row> {
  const rows = await em.execute<Row[]>(
    `insert into stock (product_id, warehouse_id, on_hand) values (?, ?, ?)
     on conflict (product_id, warehouse_id) do update set on_hand = stock.on_hand + excluded.on_hand, updated_at = now() returning *`,
    [productId, warehouseId, quantity],
  );
  return rows[0]!;
}

export function listSuppliers(em: EntityManager, f: { productLine?: string; cursor?: string; limit?: number }): Promise<Page<Row>> {
  return queryRowPage(em, { from: 'suppliers', where: new Where().maybe(f.productLine, '? = any(t.product_lines)'), cursor: f.cursor, limit: f.limit });
}

export async function insertSupplier(em: EntityManager, id: string, input: CreateSupplierInput): Promise<Row> {
  const rows = await em.execute<Row[]>(
    `insert into suppliers (id, name, email, phone, product_lines) values (?, ?, ?, ?, array(select jsonb_array_elements_text(?::jsonb))) returning *`,
    [id, input.name, input.email ?? null, input.phone ?? null, JSON.stringify(input.productLines ?? [])],
  );
  return rows[0]!;
}
