import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CreateWarehouseInput, SetStockInput } from '../../../db/crm-schemas';
import {
  insertWarehouse, listStock, listWarehouses, lockStock, setStockOnHand, toStock, toWarehouse,
} from '../../../db/repositories/crm/catalogue-queries';
import { existingIds } from '../../../db/repositories/crm/existing-ids';
import { num } from '../../../db/repositories/crm/row-values';
import type { EngineContext } from '../../engine-deps';
import { callerOf, requireRight } from '../../plugins/auth';
import { Problem, ValidationProblem } from '../../schemas/problem';
import { StockLevel, StockList, StockParams, StockQuery, Warehouse, WarehouseListQuery, WarehousePage } from '../../schemas/crm/catalogue';
import { newCrmId } from '../../../db/crm/crm-id';
import { conflict, notFound, validCrmBody } from '../../services/crm/crm-problems';

/** Warehouses and the stock of each product in each. */
const stockRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.get('/warehouses', {
    schema: { tags: ['crm'], summary: 'List warehouses', querystring: WarehouseListQuery, response: { 200: WarehousePage, 400: Problem } },
  }, async (request) => {
    callerOf(request);
    const page = await listWarehouses(ctx.orm.em.fork(), request.query);
    return { items: page.items.map(toWarehouse), nextCursor: page.nextCursor };
  });

  app.post('/warehouses', {
    schema: { tags: ['crm'], summary: 'Add a warehouse (admin)', body: CreateWarehouseInput, response: { 201: Warehouse, 400: ValidationProblem, 403: Problem, 409: Problem } },
  }, async (request, reply) => {
    requireRight(request, 'stock.write');
    const input = validCrmBody(CreateWarehouseInput, request.body);
    const id = input.id ?? newCrmId('W');
    const row = await insertWarehouse(ctx.orm.em.fork(), id, input);
    if (!row) throw conflict('warehouse-exists', `A warehouse '${id}' exists already.`);
    reply.code(201);
    return toWarehouse(row);
  });

  app.get('/stock', {
    schema: { tags: ['crm'], summary: 'Stock levels (by product and/or warehouse)', querystring: StockQuery, response: { 200: StockList } },
  }, async (request) => {
    callerOf(request);
    return { items: (await listStock(ctx.orm.em.fork(), request.query)).map(toStock) };
  });

  app.put('/stock/:productId/:warehouseId', {
    schema: {
      tags: ['crm'], summary: 'Set the on-hand stock of a product in a warehouse (admin)',
      description: 'Refused with 409 when below what is reserved for orders.',
      params: StockParams, body: SetStockInput, response: { 200: StockLevel, 400: ValidationProblem, 403: Problem, 404: Problem, 409: Problem },
    },
  }, async (request) => {
    requireRight(request, 'stock.write');
    const { onHand } = validCrmBody(SetStockInput, request.body);
    const { productId, warehouseId } = request.params;
    const row = await ctx.orm.em.fork().transactional(async (em) => {
      if ((await existingIds(em, 'products', [productId])).size === 0) throw notFound('product', productId);
      if ((await existingIds(em, 'warehouses', [warehouseId])).size === 0) throw notFound('warehouse', warehouseId);
      const current = await lockStock(em, productId, warehouseId);
      const reserved = current ? num(current['reserved']) : 0;
      if (onHand < reserved) {
        throw conflict('stock-below-reserved', `${reserved} unit(s) are reserved for orders; on hand cannot go below that.`, { reserved });
      }
      return setStockOnHand(em, productId, warehouseId, onHand);
    });
    return toStock(row);
  });
};

export default stockRoutes;
