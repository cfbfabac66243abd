import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActivityDeps } from '../../deps';
import type { CreateShipmentNoteParams, OrderStatus, ShipmentNoteLine, ShipmentNotes } from './order-schemas';
import { loadOrderLines, lockOrder } from './order-rows';

interface OpenReservation { id: string; warehouse_id: string; product_id: string; quantity: number; line_id: string; line_no: number; sku: string; name: string }
type ShipmentNote = ShipmentNotes['notes'][number];

export function createShipmentActivities(deps: ActivityDeps) {
  return {
    /**
     * Ships what is reserved: one note per warehouse (keyed `<key>:<warehouseId>`), the
     * reservations marked shipped, the lines' shipped quantities raised and the stock taken off
     * the shelf, in one transaction. A retry with the same key finds its notes and changes nothing;
     * with nothing reserved there is nothing to ship and the order is left as it is.
     */
    async 'crm.createShipmentNote'({ orderId, key }: CreateShipmentNoteParams): Promise<ShipmentNotes> {
      return deps.orm.em.fork().transactional(async (tx) => {
        const order = await lockOrder(tx, orderId);
        const earlier = await findNotes(tx, orderId, key);
        if (earlier.length > 0) return { notes: earlier, orderStatus: order.status, fullyShipped: await isFullyShipped(tx, orderId) };
        await loadOrderLines(tx, orderId, true);
        const reservations = await tx.execute<OpenReservation[]>(
          `select r.id, r.warehouse_id, r.product_id, r.quantity, l.id as line_id, l.line_no, p.sku, p.name
           from stock_reservations r join order_lines l on l.id = r.order_line_id join products p on p.id = r.product_id
           where l.order_id = ? and r.status = 'reserved'
           order by r.warehouse_id, l.line_no
           for update of r`,
          [orderId],
        );
        if (reservations.length === 0) return { notes: [], orderStatus: order.status, fullyShipped: await isFullyShipped(tx, orderId) };
        for (const [warehouseId, shipped] of groupByWarehouse(reservations)) {
          const lines: ShipmentNoteLine[] = shipped.map((r) => ({ lineNo: r.line_no, productId: r.product_id, sku: r.sku, name: r.name, quantity: r.quantity }));
          await tx.execute(
            'insert into shipment_notes (id, order_id, warehouse_id, idempotency_key, lines) values (?, ?, ?, ?, ?::jsonb)',
            [`ship-${randomUUID()}`, orderId, warehouseId, `${key}:${warehouseId}`, JSON.stringify(lines)],
          );
        }
        for (const reservation of reservations) await shipReservation(tx, reservation);
        const fullyShipped = await isFullyShipped(tx, orderId);
        const orderStatus: OrderStatus = fullyShipped ? 'shipped' : 'partially-shipped';
        await tx.execute('update orders set status = ?, updated_at = now() where id = ?', [orderStatus, orderId]);
        return { notes: await findNotes(tx, orderId, key), orderStatus, fullyShipped };
      });
    },
  };
}

function groupByWarehouse(reservations: OpenReservation[]): Map<string, OpenReservation[]> {
  const groups = new Map<string, OpenReservation[]>();
  for (const r of reservations) groups.set(r.warehouse_id, [...groups.get(r.warehouse_id) ?? [], r]);
  return groups;
}

async function shipReservation(em: EntityManager, r: OpenReservation): Promise<void> {
  await em.execute(`update stock_reservations set status = 'shipped' where id = ?`, [r.id]);
  await em.execute('update order_lines set shipped_quantity = shipped_quantity + ? where id = ?', [r.quantity, r.line_id]);
  await em.execute(
    'update stock set on_hand = on_hand - ?, reserved = reserved - ?, updated_at = now() where product_id = ? and warehouse_id = ?',
    [r.quantity, r.quantity, r.product_id, r.warehouse_id],
  );
}

/** The notes of one shipment round: those whose key is `<key>:<warehouse>`. */
async function findNotes(em: EntityManager, orderId: string, key: string): Promise<ShipmentNote[]> {
  const rows = await em.execute<{ id: string; warehouse_id: string; name: string; email: string | null; lines: ShipmentNoteLine[] }[]>(
    `select n.id, n.warehouse_id, w.name, w.email, n.lines from shipment_notes n join warehouses w on w.id = n.warehouse_id
     where n.order_id = ? and n.idempotency_key = ? || n.warehouse_id
     order by n.warehouse_id`,
    [orderId, `${key}:`],
  );
  return rows.map((row) => ({ id: row.id, warehouseId: row.warehouse_id, warehouseName: row.name, warehouseEmail: row.email, lines: row.lines }));
}

async function isFullyShipped(em: EntityManager, orderId: string): Promise<boolean> {
  const [row] = await em.execute<{ open: string | number }[]>(
    'select count(*) as open from order_lines where order_id = ? and shipped_quantity < quantity', [orderId],
  );
  return Number(row?.open ?? 0) === 0;
}
