import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { InventoryRepository, toStockLevel, toWarehouseRecord } from '../../../db/crm/orders/inventory.repository';
import {
  CreateWarehouseInput,
  SetStockInput,
  StockFilters,
  StockKey,
  StockLevel,
  Warehouse,
  WarehouseFilters,
} from '../../../db/crm/orders/inventory.schema';
import { existingIds } from '../../../db/crm/existing-ids';
import type { EngineContext } from '../../engine-deps';
import { principalOf, requireRight } from '../../plugins/auth';
import { Problem, ValidationProblem } from '../../schemas/problem';
import { IdempotencyHeaders } from '../../schemas/idempotency';
import { CrmPage, PageQuery } from '../../schemas/crm/crm-records';
import { conflict, notFound, validCrmBody } from '../../services/crm/crm-problems';
import { createIdempotently } from '../../services/idempotent-create';

const WarehouseListQuery = Type.Object(
  { ...WarehouseFilters.properties, ...PageQuery },
  { additionalProperties: false },
);
const StockList = Type.Object({ items: Type.Array(StockLevel) });

/** Warehouses and the stock of each product in each. */
const stockRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.get(
    '/warehouses',
    {
      config: { permission: 'stock.read' },
      schema: {
        tags: ['crm'],
        summary: 'List warehouses',
        querystring: WarehouseListQuery,
        response: { 200: CrmPage(Warehouse), 400: Problem },
      },
    },
    async (request) => {
      principalOf(request);
      const { cursor, limit, ...filters } = request.query;
      const page = await new InventoryRepository(ctx.orm.em.fork()).listWarehouses(filters, { cursor, limit });
      return { items: page.items.map(toWarehouseRecord), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/warehouses',
    {
      config: { permission: 'stock.write' },
      schema: {
        tags: ['crm'],
        summary: 'Add a warehouse (admin)',
        headers: IdempotencyHeaders,
        body: CreateWarehouseInput,
        response: { 200: Warehouse, 201: Warehouse, 400: ValidationProblem, 403: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const principal = requireRight(request, 'stock.write');
      const input = validCrmBody(CreateWarehouseInput, request.body);
      const { result, created } = await createIdempotently(ctx, {
        scope: 'warehouses',
        principal,
        idempotencyKey: request.headers['idempotency-key'],
        request: input,
        create: async (em) => {
          const warehouse = await new InventoryRepository(em).createWarehouse(input);
          if (!warehouse) throw conflict('warehouse-exists', `A warehouse '${input.id ?? ''}' exists already.`);
          return { id: warehouse.id, eventId: null };
        },
        replay: async (id) => ({ id, eventId: null }),
      });
      const warehouse = await new InventoryRepository(ctx.orm.em.fork()).findWarehouse(result.id);
      if (!warehouse) throw notFound('warehouse', result.id);
      reply.code(created ? 201 : 200);
      return toWarehouseRecord(warehouse);
    },
  );

  app.get(
    '/stock',
    {
      config: { permission: 'stock.read' },
      schema: {
        tags: ['crm'],
        summary: 'Stock levels (by product and/or warehouse)',
        querystring: StockFilters,
        response: { 200: StockList },
      },
    },
    async (request) => {
      principalOf(request);
      return { items: (await new InventoryRepository(ctx.orm.em.fork()).listStock(request.query)).map(toStockLevel) };
    },
  );

  app.put(
    '/stock/:productId/:warehouseId',
    {
      config: { permission: 'stock.write' },
      schema: {
        tags: ['crm'],
        summary: 'Set the on-hand stock of a product in a warehouse (admin)',
        description: 'Refused with 409 when below what is reserved for orders.',
        params: StockKey,
        body: SetStockInput,
        response: { 200: StockLevel, 400: ValidationProblem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) => {
      requireRight(request, 'stock.write');
      const { onHand } = validCrmBody(SetStockInput, request.body);
      const { productId, warehouseId } = request.params;
      return ctx.orm.em.fork().transactional(async (em) => {
        const inventory = new InventoryRepository(em);
        if ((await existingIds(em, 'products', [productId])).size === 0) throw notFound('product', productId);
        if (!(await inventory.findWarehouse(warehouseId))) throw notFound('warehouse', warehouseId);
        const reserved = (await inventory.lockStock(productId, warehouseId))?.reserved ?? 0;
        if (onHand < reserved) {
          throw conflict(
            'stock-below-reserved',
            `${reserved} unit(s) are reserved for orders; on hand cannot go below that.`,
            { reserved },
          );
        }
        return inventory.setOnHand(productId, warehouseId, onHand);
      });
    },
  );
};

export default stockRoutes;
