import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActivityDeps } from '../../deps';
import type { OrderRef, StockCheck, StockReservation } from './order-schemas';
import { findOrder, loadOrderLines, lockOrder, remainingNeed, type OrderLine } from './order-rows';
import { refuseSale } from './sales-failure';

interface StockRow { product_id: string; warehouse_id: string; free: number }

export function createStockActivities(deps: ActivityDeps) {
  return {
    /**
     * Whether the free stock covers what the order still needs, line by line; reads only. Lines of
     * the same product draw on the same stock, the earlier line first.
     */
    async 'crm.checkStock'({ orderId }: OrderRef): Promise<StockCheck> {
      const em = deps.orm.em.fork();
      await findOrder(em, orderId);
      const lines = await loadOrderLines(em, orderId);
      const free = await freeStockByProduct(em, lines);
      const result = lines.map((line) => {
        const available = free.get(line.productId) ?? 0;
        const need = remainingNeed(line);
        free.set(line.productId, Math.max(0, available - need));
        return {
          lineNo: line.lineNo, productId: line.productId, sku: line.sku, name: line.name, quantity: line.quantity,
          reservedQuantity: line.openReserved + line.shippedQuantity, available, shortBy: Math.max(0, need - available),
        };
      });
      const shortLines = result.filter((line) => line.shortBy > 0).length;
      return { lines: result, allAvailable: shortLines === 0, shortLines };
    },

    /**
     * Reserves what each line still needs from the warehouses with the most free stock first.
     * The order's lock makes a repeated call see its own earlier reservations (so it reserves only
     * what is still missing), and the stock rows are locked in one fixed order before they are
     * read, so two orders racing for the last units are served one after the other and the
     * second sees what the first took. An order still short waits in 'awaiting-stock'.
     */
    async 'crm.reserveStock'({ orderId }: OrderRef): Promise<StockReservation> {
      return deps.orm.em.fork().transactional(async (tx) => {
        const order = await lockOrder(tx, orderId);
        if (order.status === 'cancelled' || order.status === 'delivered') {
          refuseSale('order.invalid-transition', `order ${orderId} is ${order.status}; it reserves no stock`);
        }
        const lines = await loadOrderLines(tx, orderId, true);
        const stock = await lockStock(tx, lines.filter((line) => remainingNeed(line) > 0));
        let reservedNow = 0;
        for (const line of lines) {
          const taken = await reserveLine(tx, line, stock);
          line.openReserved += taken;
          reservedNow += taken;
        }
        const complete = lines.every((line) => remainingNeed(line) === 0);
        const status = complete ? 'confirmed' : 'awaiting-stock';
        if ((order.status === 'confirmed' || order.status === 'awaiting-stock') && order.status !== status) {
          await tx.execute('update orders set status = ?, updated_at = now() where id = ?', [status, orderId]);
        }
        return {
          lines: lines.map((line) => ({
            lineNo: line.lineNo, productId: line.productId, quantity: line.quantity,
            reservedQuantity: line.openReserved + line.shippedQuantity, shortBy: remainingNeed(line),
          })),
          complete,
          reservedNow,
        };
      });
    },
  };
}

async function freeStockByProduct(em: EntityManager, lines: OrderLine[]): Promise<Map<string, number>> {
  const rows = await em.execute<{ product_id: string; free: string | number }[]>(
    `select product_id, sum(on_hand - reserved) as free from stock
     where product_id in (select jsonb_array_elements_text(?::jsonb)) group by product_id`,
    [JSON.stringify(lines.map((line) => line.productId))],
  );
  return new Map(rows.map((row) => [row.product_id, Number(row.free)]));
}

/** Locks the stock rows of the products, ordered by product and warehouse so no two orders can deadlock. */
async function lockStock(em: EntityManager, lines: OrderLine[]): Promise<StockRow[]> {
  if (lines.length === 0) return [];
  const rows = await em.execute<StockRow[]>(
    `select product_id, warehouse_id, on_hand - reserved as free from stock
     where product_id in (select jsonb_array_elements_text(?::jsonb))
     order by product_id, warehouse_id for update`,
    [JSON.stringify(lines.map((line) => line.productId))],
  );
  return rows.map((row) => ({ ...row, free: Number(row.free) }));
}

/** Reserves up to the line's remaining need; returns how much it took. `stock` is kept current for later lines. */
async function reserveLine(em: EntityManager, line: OrderLine, stock: StockRow[]): Promise<number> {
  let need = remainingNeed(line);
  let taken = 0;
  const candidates = stock.filter((row) => row.product_id === line.productId && row.free > 0)
    .sort((a, b) => b.free - a.free || (a.warehouse_id < b.warehouse_id ? -1 : a.warehouse_id > b.warehouse_id ? 1 : 0));
  for (const row of candidates) {
    if (need === 0) break;
    const quantity = Math.min(need, row.free);
    // The condition repeats what the lock already guarantees: reserved never passes on_hand.
    const updated = await em.execute<{ product_id: string }[]>(
      `update stock set reserved = reserved + ?, updated_at = now()
       where product_id = ? and warehouse_id = ? and on_hand - reserved >= ? returning product_id`,
      [quantity, row.product_id, row.warehouse_id, quantity],
    );
    if (updated.length === 0) throw new Error(`stock of ${row.product_id} in ${row.warehouse_id} changed under its lock`);
    await em.execute(
      `insert into stock_reservations (id, order_line_id, product_id, warehouse_id, quantity, status)
       values (?, ?, ?, ?, ?, 'reserved')
       on conflict (order_line_id, warehouse_id) where status = 'reserved'
       do update set quantity = stock_reservations.quantity + excluded.quantity`,
      [`res-${randomUUID()}`, line.id, row.product_id, row.warehouse_id, quantity],
    );
    row.free -= quantity;
    need -= quantity;
    taken += quantity;
  }
  return taken;
}
