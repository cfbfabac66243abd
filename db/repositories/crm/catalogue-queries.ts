import type { EntityManager } from '@mikro-orm/postgresql';
import type { CreateWarehouseInput } from '../../crm-schemas';
import type { Page } from '../page-cursor';
import { queryRowPage, Where, type Row } from './row-page';
import { iso, isoAt, num, one, str } from './row-values';

export const toWarehouse = (row: Row) => ({
  id: String(row['id']), name: String(row['name']), region: str(row['region']), email: str(row['email']), createdAt: iso(row['created_at']),
});
export const toStock = (row: Row) => ({
  productId: String(row['product_id']), warehouseId: String(row['warehouse_id']), onHand: num(row['on_hand']),
  reserved: num(row['reserved']), available: num(row['on_hand']) - num(row['reserved']), updatedAt: isoAt(row['updated_at']),
});

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
