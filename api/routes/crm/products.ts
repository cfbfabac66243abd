import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CreateProductInput } from '../../../db/crm-schemas';
import {
  getProduct, insertProduct, listPriceTiers, listProducts, toPriceTier, toProduct,
} from '../../../db/repositories/crm/catalogue-queries';
import { InventoryRepository, toStockLevel } from '../../../db/crm/orders/inventory.repository';
import type { EngineContext } from '../../engine-deps';
import { callerOf, requireRole } from '../../plugins/auth';
import { Problem, ValidationProblem } from '../../schemas/problem';
import { IdParam } from '../../schemas/crm/common';
import { ProductListQuery, ProductPage, ProductView } from '../../schemas/crm/catalogue';
import { newCrmId } from '../../../db/crm/crm-id';
import { conflict, notFound, validCrmBody } from '../../services/crm/crm-problems';

/** The product catalogue with price tiers. */
const productRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  async function productView(id: string) {
    const em = ctx.orm.em.fork();
    const row = await getProduct(em, id);
    if (!row) throw notFound('product', id);
    const [tiers, stock] = await Promise.all([listPriceTiers(em, id), new InventoryRepository(em).listStock({ productId: id })]);
    return { ...toProduct(row), priceTiers: tiers.map(toPriceTier), stock: stock.map(toStockLevel) };
  }

  app.get('/products', {
    schema: { tags: ['crm'], summary: 'List products, newest first', querystring: ProductListQuery, response: { 200: ProductPage, 400: Problem } },
  }, async (request) => {
    callerOf(request);
    const page = await listProducts(ctx.orm.em.fork(), request.query);
    return { items: page.items.map(toProduct), nextCursor: page.nextCursor };
  });

  app.get('/products/:id', {
    schema: { tags: ['crm'], summary: 'One product with price tiers and stock per warehouse', params: IdParam, response: { 200: ProductView, 404: Problem } },
  }, async (request) => {
    callerOf(request);
    return productView(request.params.id);
  });

  app.post('/products', {
    schema: {
      tags: ['crm'], summary: 'Add a product with its price tiers (designer, admin)', body: CreateProductInput,
      response: { 201: ProductView, 400: ValidationProblem, 403: Problem, 409: Problem },
    },
  }, async (request, reply) => {
    requireRole(request, 'designer', 'admin');
    const input = validCrmBody(CreateProductInput, request.body);
    const id = newCrmId('PR');
    const row = await ctx.orm.em.fork().transactional((em) => insertProduct(em, id, input, () => newCrmId('PT')));
    if (!row) throw conflict('product-sku-taken', `A product with SKU '${input.sku}' exists already.`);
    reply.code(201).header('location', `/api/v1/products/${id}`);
    return productView(id);
  });
};

export default productRoutes;
