import type { EntityManager } from '@mikro-orm/postgresql';
import type { CreateProductInput, CreateSupplierInput } from '../../crm-schemas';
import type { Page } from '../page-cursor';
import { queryRowPage, Where, type Row } from './row-page';
import { iso, num, one, str } from './row-values';

export function toProduct(row: Row) {
  return {
    id: String(row['id']), sku: String(row['sku']), name: String(row['name']), productLine: String(row['product_line']),
    listPriceCents: num(row['list_price_cents']), active: Boolean(row['active']), createdAt: iso(row['created_at']),
  };
}
export const toPriceTier = (row: Row) => ({ minQuantity: num(row['min_quantity']), unitPriceCents: num(row['unit_price_cents']) });
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
