import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ReceivePurchaseInput } from '../../../db/crm-schemas';
import { addStockOnHand, toStock } from '../../../db/repositories/crm/catalogue-queries';
import { existingIds } from '../../../db/repositories/crm/existing-ids';
import {
  listPurchaseRequests, listShipmentNotes, lockPurchaseRequest, markPurchaseReceived,
} from '../../../db/repositories/crm/fulfilment-queries';
import { toPurchaseRequest, toShipmentNote } from '../../../db/repositories/crm/order-queries';
import { num } from '../../../db/repositories/crm/row-values';
import type { EngineContext } from '../../engine-deps';
import { callerOf } from '../../plugins/auth';
import { Problem, ValidationProblem } from '../../schemas/problem';
import { IdParam } from '../../schemas/crm/common';
import { PurchaseRequestPage, PurchaseRequestQuery, ReceivedPurchase, ShipmentNotePage, ShipmentNoteQuery } from '../../schemas/crm/sales';
import { conflict, notFound, unknownReferences, validCrmBody } from '../../services/crm/crm-problems';
import { signalRunningInstances } from '../../services/crm/signal-process';

/** What order fulfilment produces: shipment notes, and purchase requests for missing stock. */
const fulfilmentRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.get('/shipment-notes', {
    schema: { tags: ['crm'], summary: 'List shipment notes (by order, warehouse)', querystring: ShipmentNoteQuery, response: { 200: ShipmentNotePage, 400: Problem } },
  }, async (request) => {
    callerOf(request);
    const page = await listShipmentNotes(ctx.orm.em.fork(), request.query);
    return { items: page.items.map(toShipmentNote), nextCursor: page.nextCursor };
  });

  app.get('/purchase-requests', {
    schema: { tags: ['crm'], summary: 'List purchase requests (by order, status, product)', querystring: PurchaseRequestQuery, response: { 200: PurchaseRequestPage, 400: Problem } },
  }, async (request) => {
    callerOf(request);
    const page = await listPurchaseRequests(ctx.orm.em.fork(), request.query);
    return { items: page.items.map(toPurchaseRequest), nextCursor: page.nextCursor };
  });

  app.post('/purchase-requests/:id/receive', {
    schema: {
      tags: ['crm'], summary: 'Book the goods of a purchase request into a warehouse',
      description: 'In one transaction the request becomes received and on-hand stock grows by the quantity (default: the request\'s). '
        + 'A second receipt is a 409 and adds nothing. Then the running process of its order, if any, gets `stock.received`.',
      params: IdParam, body: ReceivePurchaseInput, response: { 200: ReceivedPurchase, 400: ValidationProblem, 404: Problem, 409: Problem, 422: Problem },
    },
  }, async (request) => {
    callerOf(request);
    const input = validCrmBody(ReceivePurchaseInput, request.body);
    const { purchase, quantity, stock } = await ctx.orm.em.fork().transactional(async (em) => {
      const row = await lockPurchaseRequest(em, request.params.id);
      if (!row) throw notFound('purchase-request', request.params.id);
      if (row['status'] !== 'requested' && row['status'] !== 'ordered') {
        throw conflict('purchase-request-closed', `Purchase request '${request.params.id}' is ${String(row['status'])}; nothing was booked.`, { status: row['status'] });
      }
      if ((await existingIds(em, 'warehouses', [input.warehouseId])).size === 0) {
        throw unknownReferences([{ pointer: '/warehouseId', kind: 'warehouse', id: input.warehouseId }]);
      }
      const quantity = input.quantity ?? num(row['quantity']);
      const stockRow = await addStockOnHand(em, String(row['product_id']), input.warehouseId, quantity);
      return { purchase: await markPurchaseReceived(em, request.params.id), quantity, stock: stockRow };
    });
    const orderId = purchase['order_id'];
    const instanceIds = typeof orderId === 'string'
      ? await signalRunningInstances(ctx, {
        businessKey: orderId, event: 'stock.received', eventId: request.params.id,
        payload: { purchaseRequestId: request.params.id, productId: String(purchase['product_id']), quantity },
      })
      : [];
    return { purchaseRequest: toPurchaseRequest(purchase), stock: toStock(stock), processNotified: instanceIds.length > 0, instanceIds };
  });
};

export default fulfilmentRoutes;
