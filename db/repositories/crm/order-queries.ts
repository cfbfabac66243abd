import type { EntityManager } from '@mikro-orm/postgresql';
import type { Page } from '../page-cursor';
import { queryRowPage, Where, type Row } from './row-page';
import { iso, num, one, str } from './row-values';

export function toOrder(row: Row) {
  return {
    id: String(row['id']), customerId: String(row['customer_id']), quoteId: str(row['quote_id']), status: String(row['status']),
    ownerId: str(row['owner_id']), totalCents: num(row['total_cents']), createdAt: iso(row['created_at']), updatedAt: iso(row['updated_at']),
  };
}

export const toShipmentNote = (row: Row) => ({
  id: String(row['id']), orderId: String(row['order_id']), warehouseId: String(row['warehouse_id']),
  lines: row['lines'] as unknown[], status: String(row['status']), createdAt: iso(row['created_at']),
});

export const toPurchaseRequest = (row: Row) => ({
  id: String(row['id']), productId: String(row['product_id']), supplierId: str(row['supplier_id']), orderId: str(row['order_id']),
  quantity: num(row['quantity']), status: String(row['status']), createdAt: iso(row['created_at']), updatedAt: iso(row['updated_at']),
});

export interface OrderFilters { status?: string; customerId?: string; ownerId?: string; cursor?: string; limit?: number }

export function listOrders(em: EntityManager, f: OrderFilters): Promise<Page<Row>> {
  const where = new Where().maybe(f.status, 't.status = ?').maybe(f.customerId, 't.customer_id = ?').maybe(f.ownerId, 't.owner_id = ?');
  return queryRowPage(em, { from: 'orders', where, cursor: f.cursor, limit: f.limit });
}

export function getOrder(em: EntityManager, id: string): Promise<Row | null> {
  return one(em.execute<Row[]>('select * from orders where id = ?', [id]));
}

export interface PricedOrderLine { productId: string; quantity: number; unitPriceCents: number }

/** Inserts a confirmed order with its lines; null when the quote already has an order. */
export async function insertOrder(
  em: EntityManager, ids: { order: string; line: () => string },
  order: { customerId: string; quoteId: string | null; ownerId: string; lines: PricedOrderLine[] },
): Promise<Row | null> {
  const total = order.lines.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0);
  const row = await one(em.execute<Row[]>(
    `insert into orders (id, customer_id, quote_id, owner_id, total_cents) values (?, ?, ?, ?, ?)
     on conflict (quote_id) where quote_id is not null do nothing returning *`,
    [ids.order, order.customerId, order.quoteId, order.ownerId, total],
  ));
  if (!row) return null;
  for (const [index, line] of order.lines.entries()) {
    await em.execute(
      'insert into order_lines (id, order_id, line_no, product_id, quantity, unit_price_cents) values (?, ?, ?, ?, ?, ?)',
      [ids.line(), ids.order, index + 1, line.productId, line.quantity, line.unitPriceCents],
    );
  }
  return row;
}

/** What fulfilment has done with an order: lines with shipped quantities, reservations, notes, purchases. */
export async function orderFulfilment(em: EntityManager, orderId: string) {
  const [lines, reservations, notes, purchases] = await Promise.all([
    em.execute<Row[]>('select * from order_lines where order_id = ? order by line_no', [orderId]),
    em.execute<Row[]>(
      `select r.*, l.line_no from stock_reservations r join order_lines l on l.id = r.order_line_id
        where l.order_id = ? order by l.line_no, r.warehouse_id`, [orderId]),
    em.execute<Row[]>('select * from shipment_notes where order_id = ? order by created_at, id', [orderId]),
    em.execute<Row[]>('select * from purchase_requests where order_id = ? order by created_at, id', [orderId]),
  ]);
  return {
    lines: lines.map((l) => ({
      lineNo: num(l['line_no']), productId: String(l['product_id']), quantity: num(l['quantity']),
      unitPriceCents: num(l['unit_price_cents']), discountCents: num(l['discount_cents']),
      lineTotalCents: num(l['quantity']) * num(l['unit_price_cents']) - num(l['discount_cents']),
      shippedQuantity: num(l['shipped_quantity']),
    })),
    reservations: reservations.map((r) => ({
      lineNo: num(r['line_no']), productId: String(r['product_id']), warehouseId: String(r['warehouse_id']),
      quantity: num(r['quantity']), status: String(r['status']),
    })),
    shipmentNotes: notes.map(toShipmentNote),
    purchaseRequests: purchases.map(toPurchaseRequest),
  };
}

/** List prices of the products among `ids` that exist. */
export async function listPrices(em: EntityManager, ids: readonly string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await em.execute<Row[]>('select id, list_price_cents from products where id in (?)', [[...new Set(ids)]]);
  return new Map(rows.map((r) => [String(r['id']), num(r['list_price_cents'])]));
}
