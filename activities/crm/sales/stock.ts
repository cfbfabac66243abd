import { defineActivity } from '../../activity-definition';
import { InventoryRepository, type FreeStock } from '../../../db/crm/orders/inventory.repository';
import { OrderRepository, remainingNeed, type LineNeed } from '../../../db/crm/orders/order.repository';
import { OrderRef, ReservedStock, StockCheck } from '../../../db/crm/orders/order.schema';
import { refuseSale } from './sales-failure';

export const stockActivities = [
  defineActivity({
    name: 'crm.checkStock',
    contract: {
      description: 'Whether free stock covers what each order line still needs (read-only).',
      params: OrderRef,
      result: StockCheck,
    },
    /** Lines of the same product draw on the same stock, the earlier line first. */
    async run({ orderId }, deps) {
      const em = deps.orm.em.fork();
      const orders = new OrderRepository(em);
      if (!(await orders.find(orderId))) refuseSale('order.unknown', `no order ${orderId}`);
      const lines = await orders.lineNeeds(orderId);
      const free = await new InventoryRepository(em).freeByProduct(lines.map((line) => line.productId));
      const result = lines.map((line) => {
        const available = free.get(line.productId) ?? 0;
        const need = remainingNeed(line);
        free.set(line.productId, Math.max(0, available - need));
        return {
          lineNo: line.lineNo,
          productId: line.productId,
          sku: line.sku,
          name: line.name,
          quantity: line.quantity,
          reservedQuantity: line.openReserved + line.shippedQuantity,
          available,
          shortBy: Math.max(0, need - available),
        };
      });
      const shortLines = result.filter((line) => line.shortBy > 0).length;
      return { lines: result, allAvailable: shortLines === 0, shortLines };
    },
  }),

  defineActivity({
    name: 'crm.reserveStock',
    contract: {
      description:
        'Reserve what each order line still needs, warehouses with most free stock first; never reserves twice and never more than on hand. Short orders become awaiting-stock.',
      params: OrderRef,
      result: ReservedStock,
    },
    /**
     * The order's lock makes a repeated call see its own earlier reservations (so it reserves only
     * what is still missing), and the stock rows are locked in one fixed order before they are
     * read, so two orders racing for the last units are served one after the other and the
     * second sees what the first took. An order still short waits in 'awaiting-stock'.
     */
    async run({ orderId }, deps) {
      return deps.orm.em.fork().transactional(async (tx) => {
        const orders = new OrderRepository(tx);
        const inventory = new InventoryRepository(tx);
        const order = (await orders.lock(orderId)) ?? refuseSale('order.unknown', `no order ${orderId}`);
        if (order.status === 'cancelled' || order.status === 'delivered') {
          refuseSale('order.invalid-transition', `order ${orderId} is ${order.status}; it reserves no stock`);
        }
        const lines = await orders.lineNeeds(orderId, { lock: true });
        const stock = await inventory.lockFreeStock(
          lines.filter((line) => remainingNeed(line) > 0).map((line) => line.productId),
        );
        let reservedNow = 0;
        for (const line of lines) {
          const taken = await reserveLine(inventory, line, stock);
          line.openReserved += taken;
          reservedNow += taken;
        }
        const complete = lines.every((line) => remainingNeed(line) === 0);
        const status = complete ? 'confirmed' : 'awaiting-stock';
        if ((order.status === 'confirmed' || order.status === 'awaiting-stock') && order.status !== status)
          orders.setStatus(order, status);
        return {
          lines: lines.map((line) => ({
            lineNo: line.lineNo,
            productId: line.productId,
            quantity: line.quantity,
            reservedQuantity: line.openReserved + line.shippedQuantity,
            shortBy: remainingNeed(line),
          })),
          complete,
          reservedNow,
        };
      });
    },
  }),
] as const;

/** Reserves up to the line's remaining need, fullest warehouse first; returns how much it took. `stock` is kept current for later lines. */
async function reserveLine(inventory: InventoryRepository, line: LineNeed, stock: FreeStock[]): Promise<number> {
  let need = remainingNeed(line);
  let taken = 0;
  const candidates = stock
    .filter((row) => row.productId === line.productId && row.free > 0)
    .sort((a, b) => b.free - a.free || (a.warehouseId < b.warehouseId ? -1 : a.warehouseId > b.warehouseId ? 1 : 0));
  for (const row of candidates) {
    if (need === 0) break;
    const quantity = Math.min(need, row.free);
    if (!(await inventory.reserve(line.id, row.productId, row.warehouseId, quantity))) {
      throw new Error(`stock of ${row.productId} in ${row.warehouseId} changed under its lock`);
    }
    row.free -= quantity;
    need -= quantity;
    taken += quantity;
  }
  return taken;
}
