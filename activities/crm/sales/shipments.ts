import { defineActivity } from '../../activity-definition';
import { InventoryRepository } from '../../../db/crm/orders/inventory.repository';
import { OrderRepository } from '../../../db/crm/orders/order.repository';
import { CreateShipmentNoteParams, ShipmentNotes, type ShipmentNoteLine } from '../../../db/crm/orders/order.schema';
import { refuseSale } from './sales-failure';

export const shipmentActivities = [
  defineActivity({
    name: 'crm.createShipmentNote',
    contract: {
      description:
        'Ship the reserved stock: one note per warehouse, stock lowered, order shipped or partially-shipped; once per key.',
      params: CreateShipmentNoteParams,
      result: ShipmentNotes,
    },
    /**
     * One note per warehouse (keyed `<key>:<warehouseId>`), the reservations marked shipped, the
     * lines' shipped quantities raised and the stock taken off the shelf, in one transaction. A
     * retry with the same key finds its notes and changes nothing; with nothing reserved there is
     * nothing to ship and the order is left as it is.
     */
    async run({ orderId, key }, deps) {
      return deps.orm.em.fork().transactional(async (tx) => {
        const orders = new OrderRepository(tx);
        const order = (await orders.lock(orderId)) ?? refuseSale('order.unknown', `no order ${orderId}`);
        const lines = await orders.lockLines(orderId);
        const fullyShipped = () => lines.every((line) => line.shippedQuantity >= line.quantity);
        const earlier = await orders.findShipmentRound(orderId, key);
        if (earlier.length > 0) return { notes: earlier, orderStatus: order.status, fullyShipped: fullyShipped() };
        const reservations = await orders.lockOpenReservations(lines);
        if (reservations.length === 0) return { notes: [], orderStatus: order.status, fullyShipped: fullyShipped() };
        const lineById = new Map(lines.map((line) => [line.id, line]));
        const byWarehouse = new Map<string, ShipmentNoteLine[]>();
        const inventory = new InventoryRepository(tx);
        for (const reservation of reservations) {
          const line = lineById.get(reservation.orderLine.id)!;
          const product = line.product.getEntity();
          byWarehouse.set(reservation.warehouseId, [
            ...(byWarehouse.get(reservation.warehouseId) ?? []),
            {
              lineNo: line.lineNo,
              productId: reservation.productId,
              sku: product.sku,
              name: product.name,
              quantity: reservation.quantity,
            },
          ]);
          orders.markShipped(order, reservation, line);
          await inventory.takeShipped(reservation.productId, reservation.warehouseId, reservation.quantity);
        }
        for (const [warehouseId, noteLines] of byWarehouse) orders.addShipmentNote(order, warehouseId, key, noteLines);
        orders.setStatus(order, fullyShipped() ? 'shipped' : 'partially-shipped');
        await orders.flush();
        return {
          notes: await orders.findShipmentRound(orderId, key),
          orderStatus: order.status,
          fullyShipped: fullyShipped(),
        };
      });
    },
  }),
] as const;
