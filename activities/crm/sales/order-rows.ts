import type { EntityManager } from '@mikro-orm/postgresql';
import type { OrderStatus } from './order-schemas';
import { refuseSale } from './sales-failure';

export interface OrderRow {
  id: string;
  customer_id: string;
  quote_id: string | null;
  owner_id: string | null;
  status: OrderStatus;
  total_cents: string | number;
}

/** The order, locked for this transaction: every writer of an order, its lines or their stock takes this lock first. */
export async function lockOrder(em: EntityManager, orderId: string): Promise<OrderRow> {
  const rows = await em.execute<OrderRow[]>(
    'select id, customer_id, quote_id, owner_id, status, total_cents from orders where id = ? for update', [orderId],
  );
  return rows[0] ?? refuseSale('order.unknown', `no order ${orderId}`);
}

export async function findOrder(em: EntityManager, orderId: string): Promise<OrderRow> {
  const rows = await em.execute<OrderRow[]>(
    'select id, customer_id, quote_id, owner_id, status, total_cents from orders where id = ?', [orderId],
  );
  return rows[0] ?? refuseSale('order.unknown', `no order ${orderId}`);
}

/** An order line with its product and how much of it is covered: shipped, and reserved but not shipped yet. */
export interface OrderLine {
  id: string;
  lineNo: number;
  productId: string;
  sku: string;
  name: string;
  productLine: string;
  quantity: number;
  shippedQuantity: number;
  openReserved: number;
}

/** What a line still needs from stock: neither shipped nor reserved. */
export function remainingNeed(line: OrderLine): number {
  return Math.max(0, line.quantity - line.shippedQuantity - line.openReserved);
}

/** The order's lines in order; `lock` takes their row locks too (not allowed with the aggregate, so it is a second step). */
export async function loadOrderLines(em: EntityManager, orderId: string, lock = false): Promise<OrderLine[]> {
  if (lock) await em.execute('select id from order_lines where order_id = ? order by line_no for update', [orderId]);
  const rows = await em.execute<Record<string, string | number>[]>(
    `select l.id, l.line_no, l.product_id, p.sku, p.name, p.product_line, l.quantity, l.shipped_quantity,
       coalesce((select sum(r.quantity) from stock_reservations r where r.order_line_id = l.id and r.status = 'reserved'), 0) as open_reserved
     from order_lines l join products p on p.id = l.product_id
     where l.order_id = ? order by l.line_no`,
    [orderId],
  );
  return rows.map((row) => ({
    id: String(row['id']), lineNo: Number(row['line_no']), productId: String(row['product_id']), sku: String(row['sku']),
    name: String(row['name']), productLine: String(row['product_line']), quantity: Number(row['quantity']),
    shippedQuantity: Number(row['shipped_quantity']), openReserved: Number(row['open_reserved']),
  }));
}
