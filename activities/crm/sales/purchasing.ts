import { defineActivity } from '../../activity-definition';
import { OrderRepository, remainingNeed } from '../../../db/crm/orders/order.repository';
import { OrderRef, PurchaseRequests, type RequestedPurchase } from '../../../db/crm/orders/order.schema';
import { CatalogueRepository } from '../../../db/crm/catalogue/catalogue.repository';
import type { PurchaseRequest } from '../../../db/crm/orders/order.entity';
import { refuseSale } from './sales-failure';

/** A request still on its way: asked for, or ordered from the supplier but not received. */
const PENDING = new Set(['requested', 'ordered']);

export const purchasingActivities = [
  defineActivity({
    name: 'crm.createPurchaseRequests',
    contract: {
      description:
        "Request purchase of what the order's lines still lack from the first supplier of the product line; a line with a pending request gets no second one.",
      params: OrderRef,
      result: PurchaseRequests,
    },
    /**
     * One request per short line (neither shipped nor reserved). A line whose earlier request is
     * still pending gets no second one; once that one is received or cancelled and the line is
     * short again, the next round (`order:<id>:line:<no>:<round>`) is requested. So a retry
     * creates nothing and returns the same requests.
     */
    async run({ orderId }, deps) {
      return deps.orm.em.fork().transactional(async (tx) => {
        const orders = new OrderRepository(tx);
        if (!(await orders.lock(orderId))) refuseSale('order.unknown', `no order ${orderId}`);
        const lines = (await orders.lineNeeds(orderId)).filter((line) => remainingNeed(line) > 0);
        const earlier = await orders.purchaseRequestsOf(orderId);
        const chosen: PurchaseRequest[] = [];
        let created = 0;
        for (const line of lines) {
          const prefix = `order:${orderId}:line:${line.lineNo}:`;
          const rounds = earlier.filter((request) => request.idempotencyKey.startsWith(prefix));
          const pending = rounds.find((request) => PENDING.has(request.status));
          if (pending) {
            chosen.push(pending);
            continue;
          }
          const supplier = await new CatalogueRepository(tx).firstSupplierOfProductLine(line.productLine);
          chosen.push(
            orders.addPurchaseRequest({
              idempotencyKey: `${prefix}${rounds.length + 1}`,
              orderId,
              productId: line.productId,
              supplierId: supplier?.id ?? null,
              quantity: remainingNeed(line),
            }),
          );
          created += 1;
        }
        const requests: RequestedPurchase[] = (await orders.withSuppliers(chosen)).map((request, index) => {
          const line = lines[index]!;
          const supplier = request.supplier?.getEntity();
          return {
            id: request.id,
            productId: line.productId,
            sku: line.sku,
            name: line.name,
            quantity: request.quantity,
            supplier: supplier ? { id: supplier.id, name: supplier.name, email: supplier.email ?? null } : null,
          };
        });
        return { requests, created };
      });
    },
  }),
] as const;
