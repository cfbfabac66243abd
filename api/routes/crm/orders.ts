import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Json } from '../../../dsl/plan';
import { CreateOrderInput, OrderEventInput } from '../../../db/crm-schemas';
import { raiseProcessEvent } from '../../../db/repositories';
import { getOrder, insertOrder, listOrders, listPrices, orderFulfilment, toOrder } from '../../../db/repositories/crm/order-queries';
import type { EngineContext } from '../../engine-deps';
import { callerOf } from '../../plugins/auth';
import { Problem, ValidationProblem } from '../../schemas/problem';
import { IdParam } from '../../schemas/crm/common';
import { CreatedOrder, OrderListQuery, OrderPage, OrderView, Signalled } from '../../schemas/crm/sales';
import { newCrmId } from '../../../db/crm/crm-id';
import { conflict, notFound, validCrmBody } from '../../services/crm/crm-problems';
import { dispatchRaised } from '../../services/crm/dispatch-raised';
import { orderEventId } from '../../services/crm/order-event-id';
import { assertReferencesExist, productRefs, type Reference } from '../../services/crm/reference-check';
import { signalRequiredProcess } from '../../services/crm/signal-process';

/** Orders: placing one raises `order.placed`, which starts fulfilment; outside events reach that process. */
const orderRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  async function orderView(id: string) {
    const em = ctx.orm.em.fork();
    const row = await getOrder(em, id);
    if (!row) throw notFound('order', id);
    return { ...toOrder(row), ...(await orderFulfilment(em, id)) };
  }

  async function sendOrderEvent(orderId: string, event: string, payload: Json, eventId: string | undefined) {
    if (!(await getOrder(ctx.orm.em.fork(), orderId))) throw notFound('order', orderId);
    const id = eventId ?? orderEventId(orderId, event, payload);
    const instanceIds = await signalRequiredProcess(ctx, { businessKey: orderId, event, payload, eventId: id });
    return { accepted: true as const, event, eventId: id, instanceIds };
  }

  app.post('/orders', {
    schema: {
      tags: ['crm'], summary: 'Place an order (starts the processes bound to order.placed)',
      description: 'A line without a unit price takes the product\'s list price; the total is computed. Unknown customer, quote or product: 422 `unknown-reference`.',
      body: CreateOrderInput, response: { 201: CreatedOrder, 400: ValidationProblem, 409: Problem, 422: Problem },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const input = validCrmBody(CreateOrderInput, request.body);
    const refs: Reference[] = [{ table: 'customers', kind: 'customer', id: input.customerId, pointer: '/customerId' }];
    if (input.quoteId) refs.push({ table: 'quotes', kind: 'quote', id: input.quoteId, pointer: '/quoteId' });
    const id = newCrmId('O');
    const eventId = await ctx.orm.em.fork().transactional(async (em) => {
      await assertReferencesExist(em, [...refs, ...productRefs(input.lines)]);
      const prices = await listPrices(em, input.lines.map((l) => l.productId));
      const lines = input.lines.map((l) => ({ productId: l.productId, quantity: l.quantity, unitPriceCents: l.unitPriceCents ?? prices.get(l.productId) ?? 0 }));
      const row = await insertOrder(em, { order: id, line: () => newCrmId('OL') }, { customerId: input.customerId, quoteId: input.quoteId ?? null, ownerId: caller.userId, lines });
      if (!row) throw conflict('quote-already-ordered', `Quote '${input.quoteId ?? ''}' has an order already.`);
      return (await raiseProcessEvent(em, 'order.placed', { orderId: id }, { dedupeKey: id, raisedBy: caller.userId, taskQueue: ctx.taskQueue })).id;
    });
    const dispatched = await dispatchRaised(ctx, request.log, eventId);
    reply.code(201).header('location', `/api/v1/orders/${id}`);
    return { order: await orderView(id), ...dispatched };
  });

  app.get('/orders', {
    schema: { tags: ['crm'], summary: 'List orders, newest first', querystring: OrderListQuery, response: { 200: OrderPage, 400: Problem } },
  }, async (request) => {
    callerOf(request);
    const page = await listOrders(ctx.orm.em.fork(), request.query);
    return { items: page.items.map(toOrder), nextCursor: page.nextCursor };
  });

  app.get('/orders/:id', {
    schema: { tags: ['crm'], summary: 'One order with its fulfilment state', params: IdParam, response: { 200: OrderView, 404: Problem } },
  }, async (request) => {
    callerOf(request);
    return orderView(request.params.id);
  });

  app.post('/orders/:id/events', {
    schema: {
      tags: ['crm'], summary: 'Send stock.received or delivery.confirmed to the order\'s running process',
      description: '404 `order-not-found` for an unknown order; 409 `no-running-process` when no running instance has the order id as business key.',
      params: IdParam, body: OrderEventInput, response: { 202: Signalled, 400: ValidationProblem, 404: Problem, 409: Problem },
    },
  }, async (request, reply) => {
    callerOf(request);
    const input = validCrmBody(OrderEventInput, request.body);
    const sent = await sendOrderEvent(request.params.id, input.event, (input.payload ?? { orderId: request.params.id }) as Json, input.eventId);
    reply.code(202);
    return sent;
  });

  app.post('/orders/:id/delivery-confirmation', {
    schema: {
      tags: ['crm'], summary: 'Confirm delivery (the event delivery.confirmed)', params: IdParam,
      response: { 202: Signalled, 404: Problem, 409: Problem },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const sent = await sendOrderEvent(request.params.id, 'delivery.confirmed', { orderId: request.params.id, confirmedBy: caller.userId }, `${request.params.id}:delivery.confirmed`);
    reply.code(202);
    return sent;
  });
};

export default orderRoutes;
