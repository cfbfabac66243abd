import type { EntityManager } from '@mikro-orm/postgresql';
import type { Page } from '../page-cursor';
import { queryRowPage, Where, type Row } from './row-page';
import { one } from './row-values';

export function listShipmentNotes(em: EntityManager, f: { orderId?: string; warehouseId?: string; cursor?: string; limit?: number }): Promise<Page<Row>> {
  const where = new Where().maybe(f.orderId, 't.order_id = ?').maybe(f.warehouseId, 't.warehouse_id = ?');
  return queryRowPage(em, { from: 'shipment_notes', where, cursor: f.cursor, limit: f.limit });
}

export function listPurchaseRequests(em: EntityManager, f: { orderId?: string; status?: string; productId?: string; cursor?: string; limit?: number }): Promise<Page<Row>> {
  const where = new Where().maybe(f.orderId, 't.order_id = ?').maybe(f.status, 't.status = ?').maybe(f.productId, 't.product_id = ?');
  return queryRowPage(em, { from: 'purchase_requests', where, cursor: f.cursor, limit: f.limit });
}

export function lockPurchaseRequest(em: EntityManager, id: string): Promise<Row | null> {
  return one(em.execute<Row[]>('select * from purchase_requests where id = ? for update', [id]));
}

export async function markPurchaseReceived(em: EntityManager, id: string): Promise<Row> {
  const rows = await em.execute<Row[]>(`update purchase_requests set status = 'received', updated_at = now() where id = ? returning *`, [id]);
  return rows[0]!;
}
