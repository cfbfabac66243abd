import { defineActivity } from '../../activity-definition';
import { QuoteRepository } from '../../../db/crm/quotes/quote.repository';
import { raiseProcessEvent } from '../../../db/repositories/process-events';
import { OrderRepository } from '../../../db/crm/orders/order.repository';
import { InventoryRepository } from '../../../db/crm/orders/inventory.repository';
import {
  CreatedOrder,
  CreateOrderFromQuoteParams,
  LoadedOrder,
  OrderRef,
  OrderStatusResult,
  SetOrderStatusParams,
} from '../../../db/crm/orders/order.schema';
import { CustomerRepository } from '../../../db/crm/customers';
import { refuseSale } from './sales-failure';
import { purchasingActivities } from './purchasing';
import { shipmentActivities } from './shipments';
import { stockActivities } from './stock';

/** Statuses an order never leaves: it reached the customer, or it was called off. */
const FINAL_STATUSES = new Set(['delivered', 'cancelled']);

const orderLifecycleActivities = [
  defineActivity({
    name: 'crm.createOrderFromQuote',
    contract: {
      description:
        "Turn a quote's current version into a confirmed order at the quoted prices, accept the quote and raise order.placed; one order per quote.",
      params: CreateOrderFromQuoteParams,
      result: CreatedOrder,
    },
    /**
     * All in one transaction. One order per quote: the quote's lock serialises conversions and the
     * unique index on the order's quote keeps it so (the order id is random: the quote, not the id,
     * makes a retry find the first order, answered with `created: false`).
     */
    async run({ quoteId, actorId }, deps) {
      return deps.orm.em.fork().transactional(async (tx) => {
        const orders = new OrderRepository(tx);
        const quotes = new QuoteRepository(tx);
        const quote = (await quotes.lock(quoteId)) ?? refuseSale('quote.unknown', `no quote ${quoteId}`);
        const existing = await orders.findByQuote(quoteId);
        if (existing) return { orderId: existing.id, created: false };
        if (quote.status === 'rejected')
          refuseSale('quote.invalid-transition', `quote ${quoteId} was rejected; it cannot become an order`);
        const version =
          (await quotes.currentVersionWithLines(quoteId)) ??
          refuseSale('quote.unknown', `quote ${quoteId} has no version ${quote.currentVersion}`);
        if (version.lines.length === 0)
          refuseSale('quote.empty', `version ${quote.currentVersion} of quote ${quoteId} has no lines`);
        const order =
          (await orders.create({
            customerId: quote.customer.id,
            quoteId,
            ownerId: quote.owner?.id ?? null,
            totalCents: version.version.totalCents,
            lines: version.lines.map((line) => ({
              lineNo: line.lineNo,
              productId: line.product.id,
              quantity: line.quantity,
              unitPriceCents: line.unitPriceCents,
              discountCents: line.discountCents,
            })),
          })) ?? refuseSale('quote.invalid-transition', `quote ${quoteId} was converted at the same time`);
        await orders.flush();
        await quotes.setStatus(quote, 'accepted');
        await raiseProcessEvent(
          tx,
          'order.placed',
          { orderId: order.id },
          { dedupeKey: order.id, raisedBy: actorId ?? 'activity:crm.createOrderFromQuote' },
        );
        return { orderId: order.id, created: true };
      });
    },
  }),

  defineActivity({
    name: 'crm.loadOrder',
    contract: {
      description: 'An order with its customer (locale, e-mail), owner and lines.',
      params: OrderRef,
      result: LoadedOrder,
    },
    /** For documents and mails. */
    async run({ orderId }, deps) {
      const em = deps.orm.em.fork();
      const orders = new OrderRepository(em);
      const order = (await orders.findWithOwner(orderId)) ?? refuseSale('order.unknown', `no order ${orderId}`);
      const customer =
        (await new CustomerRepository(em).find(order.customer.id)) ??
        refuseSale('order.unknown', `the customer ${order.customer.id} of order ${orderId} is gone`);
      const owner = order.owner?.getEntity();
      const lines = await orders.lineNeeds(orderId);
      return {
        order: { id: order.id, status: order.status, totalCents: order.totalCents, quoteId: order.quote?.id ?? null },
        customer: {
          id: customer.id,
          name: customer.name,
          locale: customer.locale,
          email: await new CustomerRepository(em).findEmail(customer.id),
        },
        owner: owner ? { id: owner.id, name: owner.name, email: owner.email } : null,
        lines: lines.map(({ lineNo, productId, sku, name, quantity, shippedQuantity }) => ({
          lineNo,
          productId,
          sku,
          name,
          quantity,
          shippedQuantity,
        })),
      };
    },
  }),

  defineActivity({
    name: 'crm.setOrderStatus',
    contract: {
      description:
        "Set an order's status; delivered raises order.delivered and adds to the customer's purchased volume once, cancelled releases its stock; delivered and cancelled are final.",
      params: SetOrderStatusParams,
      result: OrderStatusResult,
    },
    /**
     * Delivery also raises `order.delivered` (which starts the satisfaction survey) and adds the
     * order's quantities to what the customer has bought, in the same transaction; since a
     * delivered order never changes status again, that happens once. Cancelling releases the
     * stock the order still holds.
     */
    async run({ orderId, status, actorId }, deps) {
      return deps.orm.em.fork().transactional(async (tx) => {
        const orders = new OrderRepository(tx);
        const order = (await orders.lock(orderId)) ?? refuseSale('order.unknown', `no order ${orderId}`);
        if (order.status === status) return { orderId, status, changed: false };
        if (FINAL_STATUSES.has(order.status))
          refuseSale('order.invalid-transition', `order ${orderId} is ${order.status}; it cannot become ${status}`);
        orders.setStatus(order, status);
        await orders.flush();
        if (status === 'cancelled') await new InventoryRepository(tx).releaseHeldBy(orderId);
        if (status === 'delivered') {
          const units = (await orders.lineNeeds(orderId)).reduce((sum, line) => sum + line.quantity, 0);
          await new CustomerRepository(tx).addPurchasedVolume(order.customer.id, units);
          await raiseProcessEvent(
            tx,
            'order.delivered',
            { orderId, customerId: order.customer.id, triggerRef: `order:${orderId}` },
            {
              dedupeKey: orderId,
              raisedBy: actorId ?? 'activity:crm.setOrderStatus',
            },
          );
        }
        return { orderId, status, changed: true };
      });
    },
  }),
] as const;

/** Every activity of the order aggregate: the order itself, its stock, shipments and purchases. */
export const orderActivities = [
  ...orderLifecycleActivities,
  ...stockActivities,
  ...shipmentActivities,
  ...purchasingActivities,
] as const;
