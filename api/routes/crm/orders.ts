import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Json } from '../../../dsl/plan';
import { findRaisedEventId, raiseProcessEvent } from '../../../db/repositories';
import { OrderRepository, toOrderRecord } from '../../../db/crm/orders/order.repository';
import { CatalogueRepository } from '../../../db/crm/catalogue/catalogue.repository';
import { CustomerRepository } from '../../../db/crm/customers';
import { CreateOrderInput, Order, OrderEventInput, OrderFilters, OrderView } from '../../../db/crm/orders/order.schema';
import { assertVisible, ownerIdsOf, scopeOf } from '../../access/owned-records';
import { assertMaySendEvent } from '../../access/process-access';
import type { EngineContext } from '../../engine-deps';
import type { Principal } from '../../principal';
import { principalOf } from '../../plugins/auth';
import { Problem, ValidationProblem } from '../../schemas/problem';
import { IdempotencyHeaders } from '../../schemas/idempotency';
import { CrmPage, IdParam, PageQuery } from '../../schemas/crm/crm-records';
import { StartedProcesses } from '../../schemas/crm/crm-records';
import { Signalled } from '../../schemas/crm/crm-records';
import { conflict, notFound, validCrmBody } from '../../services/crm/crm-problems';
import { dispatchRaised } from '../../services/crm/dispatch-raised';
import { createIdempotently } from '../../services/idempotent-create';
import { assertReferencesExist, productRefs, type Reference } from '../../services/crm/reference-check';
import { discountCustomerRate } from '../../services/crm/order-pricing';
import { signalRequiredProcess } from '../../services/crm/signal-process';
import { assertEventAllowed } from '../../services/crm/record-event-states';

const PlacedOrder = Type.Object({ order: OrderView, ...StartedProcesses });
const OrderListQuery = Type.Object({ ...OrderFilters.properties, ...PageQuery }, { additionalProperties: false });

/**
 * The event id of an outside event for an order when the client gave none: the same order, event
 * and payload give the same id, so a resent request is taken once by the workflow.
 */
function orderEventId(orderId: string, event: string, payload: unknown): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(payload ?? null))
    .digest('hex')
    .slice(0, 16);
  return `${orderId}:${event}:${digest}`;
}

/**
 * Orders: placing one raises `order.placed`, which starts fulfilment; outside events reach that
 * process. Each order has its own owner: a rep sees their own, a manager the team's; the warehouse
 * and finance every order.
 */
const orderRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  async function orderView(principal: Principal, id: string) {
    const orders = new OrderRepository(ctx.orm.em.fork());
    const order = await orders.find(id);
    assertVisible(await scopeOf(ctx, principal, 'orders'), order, () => notFound('order', id));
    return { ...toOrderRecord(order), ...(await orders.fulfilment(id)) };
  }

  /** An event into the order's process: by a reporter of deliveries (the route's right) whose key may send it, for an order they may see. */
  async function sendOrderEvent(
    principal: Principal,
    orderId: string,
    event: string,
    payload: Json,
    eventId: string | undefined,
  ) {
    assertMaySendEvent(principal, event);
    const order = await new OrderRepository(ctx.orm.em.fork()).find(orderId);
    assertVisible(await scopeOf(ctx, principal, 'orders'), order, () => notFound('order', orderId));
    assertEventAllowed(event, orderId, order.status);
    const id = eventId ?? orderEventId(orderId, event, payload);
    const instanceIds = await signalRequiredProcess(ctx, { businessKey: orderId, event, payload, eventId: id });
    return { accepted: true as const, event, eventId: id, instanceIds };
  }

  app.post(
    '/orders',
    {
      config: { permission: 'orders.write' },
      schema: {
        tags: ['crm'],
        summary: 'Place an order (starts the processes bound to order.placed)',
        description:
          "A line without a unit price takes the product's list price; an order without a quote gets the customer's discount rate off each line, rounded as quotes are; the total is computed. Unknown customer, quote or product, or a customer or quote the caller may not see: 422 `unknown-reference`; nothing is written.",
        headers: IdempotencyHeaders,
        body: CreateOrderInput,
        response: { 200: PlacedOrder, 201: PlacedOrder, 400: ValidationProblem, 409: Problem, 422: Problem },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const input = validCrmBody(CreateOrderInput, request.body);
      const customers = ownerIdsOf(await scopeOf(ctx, principal, 'customers'));
      const refs: Reference[] = [
        { table: 'customers', kind: 'customer', id: input.customerId, pointer: '/customerId', ownerIds: customers },
      ];
      if (input.quoteId) {
        const quotes = ownerIdsOf(await scopeOf(ctx, principal, 'quotes'));
        refs.push({ table: 'quotes', kind: 'quote', id: input.quoteId, pointer: '/quoteId', ownerIds: quotes });
      }
      const { result, created } = await createIdempotently(ctx, {
        scope: 'orders',
        principal,
        idempotencyKey: request.headers['idempotency-key'],
        request: input,
        create: async (em) => {
          await assertReferencesExist(em, [...refs, ...productRefs(input.lines)]);
          const prices = await new CatalogueRepository(em).listPrices(input.lines.map((l) => l.productId));
          const unpriced = input.lines.map((l, index) => ({
            lineNo: index + 1,
            productId: l.productId,
            quantity: l.quantity,
            unitPriceCents: l.unitPriceCents ?? prices.get(l.productId) ?? 0,
          }));
          // An order from a quote carries the quote's prices, discount included; a direct one gets the customer's rate here.
          const customer = input.quoteId ? null : await new CustomerRepository(em).find(input.customerId);
          const discounts = discountCustomerRate(unpriced, customer?.discountRate ?? 0);
          const lines = unpriced.map((line, index) => ({ ...line, discountCents: discounts[index]! }));
          const order = await new OrderRepository(em).create({
            customerId: input.customerId,
            quoteId: input.quoteId ?? null,
            ownerId: principal.userId,
            totalCents: lines.reduce((sum, l) => sum + l.quantity * l.unitPriceCents - l.discountCents, 0),
            lines,
          });
          if (!order) throw conflict('quote-already-ordered', `Quote '${input.quoteId ?? ''}' has an order already.`);
          const raised = await raiseProcessEvent(
            em,
            'order.placed',
            { orderId: order.id },
            { dedupeKey: order.id, raisedBy: principal.userId, taskQueue: ctx.taskQueue, claimForDispatch: true },
          );
          return { id: order.id, eventId: raised.id, claimedEvent: raised.claimed };
        },
        replay: async (id) => ({ id, eventId: await findRaisedEventId(ctx.orm.em.fork(), 'order.placed', id) }),
      });
      const { id } = result;
      const dispatched = await dispatchRaised(ctx, request.log, result);
      reply.code(created ? 201 : 200).header('location', `/api/v1/orders/${id}`);
      return { order: await orderView(principal, id), ...dispatched };
    },
  );

  app.get(
    '/orders',
    {
      config: { permission: 'orders.read' },
      schema: {
        tags: ['crm'],
        summary: 'List orders, newest first',
        description:
          "Sales reps see their own orders, sales managers their team's; finance and the warehouse every order.",
        querystring: OrderListQuery,
        response: { 200: CrmPage(Order), 400: Problem },
      },
    },
    async (request) => {
      const scope = await scopeOf(ctx, principalOf(request), 'orders');
      const { cursor, limit, ...filters } = request.query;
      const page = await new OrderRepository(ctx.orm.em.fork()).list(
        { ...filters, ownerIds: ownerIdsOf(scope) },
        { cursor, limit },
      );
      return { items: page.items.map(toOrderRecord), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/orders/:id',
    {
      config: { permission: 'orders.read' },
      schema: {
        tags: ['crm'],
        summary: 'One order with its fulfilment state',
        params: IdParam,
        response: { 200: OrderView, 404: Problem },
      },
    },
    async (request) => orderView(principalOf(request), request.params.id),
  );

  app.post(
    '/orders/:id/events',
    {
      config: { permission: 'orders.report-delivery', limitEventsPerRecord: true },
      schema: {
        tags: ['crm'],
        summary: "Send stock.received or delivery.confirmed to the order's running process",
        description:
          'Needs `orders.report-delivery` (warehouse, admin, a system key whose scope names the event, else 403). ' +
          '404 `order-not-found` for an unknown order or one the caller may not see; 409 `event-not-allowed` when the order status gives the event no meaning (stock.received: awaiting-stock or partially-shipped; delivery.confirmed: shipped), 409 `no-running-process` when no running instance has the order id as business key.',
        params: IdParam,
        body: OrderEventInput,
        response: { 202: Signalled, 400: ValidationProblem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const input = validCrmBody(OrderEventInput, request.body);
      const sent = await sendOrderEvent(
        principal,
        request.params.id,
        input.event,
        (input.payload ?? { orderId: request.params.id }) as Json,
        input.eventId,
      );
      reply.code(202);
      return sent;
    },
  );

  app.post(
    '/orders/:id/delivery-confirmation',
    {
      config: { permission: 'orders.report-delivery', limitEventsPerRecord: true },
      schema: {
        tags: ['crm'],
        summary: 'Confirm delivery (the event delivery.confirmed)',
        description: 'Who may, and the answers: as for POST /orders/{id}/events.',
        params: IdParam,
        response: { 202: Signalled, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const sent = await sendOrderEvent(
        principal,
        request.params.id,
        'delivery.confirmed',
        { orderId: request.params.id, confirmedBy: principal.userId },
        `${request.params.id}:delivery.confirmed`,
      );
      reply.code(202);
      return sent;
    },
  );
};

export default orderRoutes;
