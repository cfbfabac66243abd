import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActivityDeps } from '../../deps';
import { raiseProcessEvent } from '../../../db/repositories/process-events';
import { CustomerRepository } from '../../../db/crm/customers';
import type { CreateOrderFromQuoteParams, CreatedOrder, LoadedOrder, OrderRef, OrderStatusResult, SetOrderStatusParams } from './order-schemas';
import { findOrder, loadOrderLines, lockOrder } from './order-rows';
import { findQuoteVersion, lockQuote } from './quote-rows';
import { refuseSale } from './sales-failure';

/** Statuses an order never leaves: it reached the customer, or it was called off. */
const FINAL_STATUSES = new Set(['delivered', 'cancelled']);

export function createOrderActivities(deps: ActivityDeps) {
  return {
    /**
     * Turns a quote's current version into a confirmed order at the quoted prices, accepts the
     * quote and raises `order.placed`, all in one transaction. One order per quote (orders_quote_unique):
     * converting again returns the first order with `created: false`.
     */
    async 'crm.createOrderFromQuote'({ quoteId, actorId }: CreateOrderFromQuoteParams): Promise<CreatedOrder> {
      return deps.orm.em.fork().transactional(async (tx) => {
        const quote = await lockQuote(tx, quoteId);
        const [existing] = await tx.execute<{ id: string }[]>('select id from orders where quote_id = ?', [quoteId]);
        if (existing) return { orderId: existing.id, created: false };
        if (quote.status === 'rejected') refuseSale('quote.invalid-transition', `quote ${quoteId} was rejected; it cannot become an order`);
        const version = await findQuoteVersion(tx, quoteId, quote.current_version)
          ?? refuseSale('quote.unknown', `quote ${quoteId} has no version ${quote.current_version}`);
        const lines = await tx.execute<{ line_no: number; product_id: string; quantity: number; unit_price_cents: string | number; discount_cents: string | number }[]>(
          'select line_no, product_id, quantity, unit_price_cents, discount_cents from quote_lines where quote_version_id = ? order by line_no', [version.id],
        );
        if (lines.length === 0) refuseSale('quote.empty', `version ${quote.current_version} of quote ${quoteId} has no lines`);
        const [totals] = await tx.execute<{ total_cents: string | number }[]>('select total_cents from quote_versions where id = ?', [version.id]);
        const orderId = `ord-${randomUUID()}`;
        await tx.execute(
          `insert into orders (id, customer_id, quote_id, status, owner_id, total_cents) values (?, ?, ?, 'confirmed', ?, ?)`,
          [orderId, quote.customer_id, quoteId, quote.owner_id, Number(totals!.total_cents)],
        );
        for (const line of lines) {
          await tx.execute(
            'insert into order_lines (id, order_id, line_no, product_id, quantity, unit_price_cents, discount_cents) values (?, ?, ?, ?, ?, ?, ?)',
            [`ol-${randomUUID()}`, orderId, line.line_no, line.product_id, line.quantity, Number(line.unit_price_cents), Number(line.discount_cents)],
          );
        }
        await tx.execute(`update quotes set status = 'accepted', updated_at = now() where id = ?`, [quoteId]);
        await raiseProcessEvent(tx, 'order.placed', { orderId }, { dedupeKey: orderId, raisedBy: actorId ?? 'activity:crm.createOrderFromQuote' });
        return { orderId, created: true };
      });
    },

    /** The order with its customer, owner and lines, for documents and mails. */
    async 'crm.loadOrder'({ orderId }: OrderRef): Promise<LoadedOrder> {
      const em = deps.orm.em.fork();
      const order = await findOrder(em, orderId);
      const [customer] = await em.execute<{ id: string; name: string; locale: 'zh-CN' | 'en' }[]>(
        'select id, name, locale from customers where id = ?', [order.customer_id],
      );
      if (!customer) refuseSale('order.unknown', `the customer ${order.customer_id} of order ${orderId} is gone`);
      const [owner] = order.owner_id === null ? [] : await em.execute<{ id: string; name: string; email: string }[]>(
        'select id, name, email from engine_user where id = ?', [order.owner_id],
      );
      const lines = await loadOrderLines(em, orderId);
      return {
        order: { id: order.id, status: order.status, totalCents: Number(order.total_cents), quoteId: order.quote_id },
        customer: { ...customer, email: await new CustomerRepository(em).findEmail(customer.id) },
        owner: owner ?? null,
        lines: lines.map(({ lineNo, productId, sku, name, quantity, shippedQuantity }) => ({ lineNo, productId, sku, name, quantity, shippedQuantity })),
      };
    },

    /**
     * Sets an order's status. Delivery also raises `order.delivered` (which starts the
     * satisfaction survey) and adds the order's quantities to what the customer has bought, in the
     * same transaction; since a delivered order never changes status again, that happens once.
     * Cancelling releases the stock the order still holds.
     */
    async 'crm.setOrderStatus'({ orderId, status, actorId }: SetOrderStatusParams): Promise<OrderStatusResult> {
      return deps.orm.em.fork().transactional(async (tx) => {
        const order = await lockOrder(tx, orderId);
        if (order.status === status) return { orderId, status, changed: false };
        if (FINAL_STATUSES.has(order.status)) refuseSale('order.invalid-transition', `order ${orderId} is ${order.status}; it cannot become ${status}`);
        await tx.execute('update orders set status = ?, updated_at = now() where id = ?', [status, orderId]);
        if (status === 'cancelled') await releaseReservations(tx, orderId);
        if (status === 'delivered') {
          await tx.execute(
            `update customers set purchased_volume = purchased_volume + (select coalesce(sum(quantity), 0) from order_lines where order_id = ?),
               updated_at = now() where id = ?`,
            [orderId, order.customer_id],
          );
          await raiseProcessEvent(tx, 'order.delivered', { orderId, customerId: order.customer_id, triggerRef: `order:${orderId}` }, {
            dedupeKey: orderId, raisedBy: actorId ?? 'activity:crm.setOrderStatus',
          });
        }
        return { orderId, status, changed: true };
      });
    },
  };
}

/** Gives back the stock an order holds but has not shipped. */
async function releaseReservations(em: EntityManager, orderId: string): Promise<void> {
  await em.execute(
    `update stock s set reserved = s.reserved - held.quantity, updated_at = now()
     from (select r.product_id, r.warehouse_id, sum(r.quantity) as quantity
           from stock_reservations r join order_lines l on l.id = r.order_line_id
           where l.order_id = ? and r.status = 'reserved' group by r.product_id, r.warehouse_id) held
     where s.product_id = held.product_id and s.warehouse_id = held.warehouse_id`,
    [orderId],
  );
  await em.execute(
    `update stock_reservations set status = 'released'
     where status = 'reserved' and order_line_id in (select id from order_lines where order_id = ?)`,
    [orderId],
  );
}
