import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CatalogueRepository,
  toProductRecord,
  toProductWithTiers,
} from '../../../db/crm/catalogue/catalogue.repository';
import { CreateProductInput } from '../../../db/crm/catalogue/catalogue.schema';
import { InventoryRepository, toStockLevel } from '../../../db/crm/orders/inventory.repository';
import type { EngineContext } from '../../engine-deps';
import type { Principal } from '../../principal';
import { principalOf, refusalOf, requireRight } from '../../plugins/auth';
import { Problem, ValidationProblem } from '../../schemas/problem';
import { IdempotencyHeaders } from '../../schemas/idempotency';
import { IdParam } from '../../schemas/crm/crm-records';
import { ProductListQuery, ProductPage, ProductView } from '../../schemas/crm/catalogue';
import { conflict, notFound, validCrmBody } from '../../services/crm/crm-problems';
import { createIdempotently } from '../../services/idempotent-create';

/** The product catalogue with price tiers. */
const productRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  /** The product; its stock only for readers of stock (everyone reads the catalogue, not everyone the stock). */
  async function productView(principal: Principal, id: string) {
    const em = ctx.orm.em.fork();
    const product = await new CatalogueRepository(em).findProduct(id);
    if (!product) throw notFound('product', id);
    if (refusalOf(principal, 'stock.read') !== null) return toProductWithTiers(product);
    const stock = await new InventoryRepository(em).listStock({ productId: id });
    return { ...toProductWithTiers(product), stock: stock.map(toStockLevel) };
  }

  app.get(
    '/products',
    {
      config: { permission: 'products.read' },
      schema: {
        tags: ['crm'],
        summary: 'List products, newest first',
        querystring: ProductListQuery,
        response: { 200: ProductPage, 400: Problem },
      },
    },
    async (request) => {
      principalOf(request);
      const page = await new CatalogueRepository(ctx.orm.em.fork()).listProducts(request.query);
      return { items: page.items.map(toProductRecord), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/products/:id',
    {
      config: { permission: 'products.read' },
      schema: {
        tags: ['crm'],
        summary: 'One product with price tiers and stock per warehouse',
        params: IdParam,
        response: { 200: ProductView, 404: Problem },
      },
    },
    async (request) => productView(principalOf(request), request.params.id),
  );

  app.post(
    '/products',
    {
      config: { permission: 'catalogue.write' },
      schema: {
        tags: ['crm'],
        summary: 'Add a product with its price tiers (designer, admin)',
        headers: IdempotencyHeaders,
        body: CreateProductInput,
        response: { 200: ProductView, 201: ProductView, 400: ValidationProblem, 403: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const principal = requireRight(request, 'catalogue.write');
      const input = validCrmBody(CreateProductInput, request.body);
      const { result, created } = await createIdempotently(ctx, {
        scope: 'products',
        principal,
        idempotencyKey: request.headers['idempotency-key'],
        request: input,
        create: async (em) => {
          const product = await new CatalogueRepository(em).createProduct(input);
          if (!product) throw conflict('product-sku-taken', `A product with SKU '${input.sku}' exists already.`);
          return { id: product.id, eventId: null };
        },
        replay: async (id) => ({ id, eventId: null }),
      });
      reply.code(created ? 201 : 200).header('location', `/api/v1/products/${result.id}`);
      return productView(principal, result.id);
    },
  );
};

export default productRoutes;
