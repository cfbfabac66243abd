import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { InventoryRepository } from '../../../db/crm/orders/inventory.repository';
import {
  OrderRepository,
  toPurchaseRequestRecord,
  toShipmentNoteRecord,
} from '../../../db/crm/orders/order.repository';
import {
  PurchaseRequest,
  PurchaseRequestFilters,
  ReceivedPurchase,
  ReceivePurchaseInput,
  ShipmentNote,
  ShipmentNoteFilters,
} from '../../../db/crm/orders/order.schema';
import { assertVisible, ownerIdsOf, scopeOf } from '../../access/owned-records';
import type { EngineContext } from '../../engine-deps';
import { principalOf } from '../../plugins/auth';
import { Problem, ValidationProblem } from '../../schemas/problem';
import { CrmPage, IdParam, PageQuery } from '../../schemas/crm/crm-records';
import { conflict, notFound, unknownReferences, validCrmBody } from '../../services/crm/crm-problems';
import { signalRunningInstances } from '../../services/crm/signal-process';

const ShipmentNoteQuery = Type.Object(
  { ...ShipmentNoteFilters.properties, ...PageQuery },
  { additionalProperties: false },
);
const PurchaseRequestQuery = Type.Object(
  { ...PurchaseRequestFilters.properties, ...PageQuery },
  { additionalProperties: false },
);

/**
 * What order fulfilment produces: shipment notes, and purchase requests for missing stock. Their
 * readers (warehouse, finance, admin, systems) see every order today; the lists still keep to the
 * reader's order scope so a narrower reader never sees another owner's orders through them.
 */
const fulfilmentRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.get(
    '/shipment-notes',
    {
      config: { permission: 'fulfilment.read' },
      schema: {
        tags: ['crm'],
        summary: 'List shipment notes (by order, warehouse)',
        querystring: ShipmentNoteQuery,
        response: { 200: CrmPage(ShipmentNote), 400: Problem },
      },
    },
    async (request) => {
      const scope = await scopeOf(ctx, principalOf(request), 'orders');
      const { cursor, limit, ...filters } = request.query;
      const page = await new OrderRepository(ctx.orm.em.fork()).listShipmentNotes(
        { ...filters, ownerIds: ownerIdsOf(scope) },
        { cursor, limit },
      );
      return { items: page.items.map(toShipmentNoteRecord), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/purchase-requests',
    {
      config: { permission: 'fulfilment.read' },
      schema: {
        tags: ['crm'],
        summary: 'List purchase requests (by order, status, product)',
        querystring: PurchaseRequestQuery,
        response: { 200: CrmPage(PurchaseRequest), 400: Problem },
      },
    },
    async (request) => {
      const scope = await scopeOf(ctx, principalOf(request), 'orders');
      const { cursor, limit, ...filters } = request.query;
      const page = await new OrderRepository(ctx.orm.em.fork()).listPurchaseRequests(
        { ...filters, ownerIds: ownerIdsOf(scope) },
        { cursor, limit },
      );
      return { items: page.items.map(toPurchaseRequestRecord), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/purchase-requests/:id/receive',
    {
      config: { permission: 'fulfilment.write' },
      schema: {
        tags: ['crm'],
        summary: 'Book the goods of a purchase request into a warehouse',
        description:
          "In one transaction the request becomes received and on-hand stock grows by the quantity (default: the request's). " +
          'A second receipt is a 409 and adds nothing. Then the running process of its order, if any, gets `stock.received`. ' +
          'Warehouse, admin and system keys only (403); a request of an order the caller may not see is a 404.',
        params: IdParam,
        body: ReceivePurchaseInput,
        response: {
          200: ReceivedPurchase,
          400: ValidationProblem,
          403: Problem,
          404: Problem,
          409: Problem,
          422: Problem,
        },
      },
    },
    async (request) => {
      const scope = await scopeOf(ctx, principalOf(request), 'orders');
      const input = validCrmBody(ReceivePurchaseInput, request.body);
      const { purchase, quantity, stock } = await ctx.orm.em.fork().transactional(async (em) => {
        const orders = new OrderRepository(em);
        const inventory = new InventoryRepository(em);
        const purchase = await orders.lockPurchaseRequest(request.params.id);
        const missing = () => notFound('purchase-request', request.params.id);
        if (!purchase) throw missing();
        // A purchase for stock (no order) belongs to no one: only readers of every order book it.
        const order = purchase.order ? await orders.find(purchase.order.id) : null;
        assertVisible(scope, order ?? { owner: null }, missing);
        if (purchase.status !== 'requested' && purchase.status !== 'ordered') {
          throw conflict(
            'purchase-request-closed',
            `Purchase request '${request.params.id}' is ${purchase.status}; nothing was booked.`,
            { status: purchase.status },
          );
        }
        if (!(await inventory.findWarehouse(input.warehouseId))) {
          throw unknownReferences([{ pointer: '/warehouseId', kind: 'warehouse', id: input.warehouseId }]);
        }
        const quantity = input.quantity ?? purchase.quantity;
        const stock = await inventory.addOnHand(purchase.product.id, input.warehouseId, quantity);
        await orders.markReceived(purchase);
        return { purchase: toPurchaseRequestRecord(purchase), quantity, stock };
      });
      const orderId = purchase.orderId;
      const instanceIds =
        orderId !== null
          ? await signalRunningInstances(ctx, {
              businessKey: orderId,
              event: 'stock.received',
              eventId: request.params.id,
              payload: { purchaseRequestId: request.params.id, productId: purchase.productId, quantity },
            })
          : [];
      return { purchaseRequest: purchase, stock, processNotified: instanceIds.length > 0, instanceIds };
    },
  );
};

export default fulfilmentRoutes;
