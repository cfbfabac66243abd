import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActivityDeps } from '../../deps';
import type { OrderRef, PurchaseRequests } from './order-schemas';
import { loadOrderLines, lockOrder, remainingNeed, type OrderLine } from './order-rows';

type PurchaseRequestView = PurchaseRequests['requests'][number];
interface RequestRow { id: string; idempotency_key: string; product_id: string; quantity: number; status: string; supplier_id: string | null }

/** A request still on its way: asked for, or ordered from the supplier but not received. */
const PENDING = new Set(['requested', 'ordered']);

export function createPurchasingActivities(deps: ActivityDeps) {
  return {
    /**
     * Asks purchasing for what the order's lines still lack (neither shipped nor reserved), one
     * request per short line from the first supplier of the product's line. A line whose earlier
     * request is still pending gets no second one; once that one is received or cancelled and the
     * line is short again, the next round (`order:<id>:line:<no>:<round>`) is requested. So a retry
     * creates nothing and returns the same requests.
     */
    async 'crm.createPurchaseRequests'({ orderId }: OrderRef): Promise<PurchaseRequests> {
      return deps.orm.em.fork().transactional(async (tx) => {
        await lockOrder(tx, orderId);
        const lines = (await loadOrderLines(tx, orderId)).filter((line) => remainingNeed(line) > 0);
        const earlier = await tx.execute<RequestRow[]>(
          'select id, idempotency_key, product_id, quantity, status, supplier_id from purchase_requests where order_id = ? order by created_at, id',
          [orderId],
        );
        const requests: PurchaseRequestView[] = [];
        let created = 0;
        for (const line of lines) {
          const prefix = `order:${orderId}:line:${line.lineNo}:`;
          const rounds = earlier.filter((request) => request.idempotency_key.startsWith(prefix));
          const pending = rounds.find((request) => PENDING.has(request.status));
          if (pending) {
            requests.push(await toView(tx, line, pending.id, pending.quantity, pending.supplier_id));
            continue;
          }
          const supplierId = await findSupplierId(tx, line.productLine);
          const id = `pr-${randomUUID()}`;
          await tx.execute(
            `insert into purchase_requests (id, idempotency_key, product_id, supplier_id, order_id, quantity) values (?, ?, ?, ?, ?, ?)`,
            [id, `${prefix}${rounds.length + 1}`, line.productId, supplierId, orderId, remainingNeed(line)],
          );
          created += 1;
          requests.push(await toView(tx, line, id, remainingNeed(line), supplierId));
        }
        return { requests, created };
      });
    },
  };
}

/** The first supplier (by id) serving the product line; none means purchasing picks one by hand. */
async function findSupplierId(em: EntityManager, productLine: string): Promise<string | null> {
  const [row] = await em.execute<{ id: string }[]>('select id from suppliers where ? = any(product_lines) order by id limit 1', [productLine]);
  return row?.id ?? null;
}

async function toView(em: EntityManager, line: OrderLine, id: string, quantity: number, supplierId: string | null): Promise<PurchaseRequestView> {
  const [supplier] = supplierId === null ? [] : await em.execute<{ id: string; name: string; email: string | null }[]>(
    'select id, name, email from suppliers where id = ?', [supplierId],
  );
  return { id, productId: line.productId, sku: line.sku, name: line.name, quantity, supplier: supplier ?? null };
}
