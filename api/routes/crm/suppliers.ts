import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CatalogueRepository, toSupplierRecord } from '../../../db/crm/catalogue/catalogue.repository';
import { CreateSupplierInput, Supplier } from '../../../db/crm/catalogue/catalogue.schema';
import type { EngineContext } from '../../engine-deps';
import { principalOf, requireRight } from '../../plugins/auth';
import { Problem, ValidationProblem } from '../../schemas/problem';
import { IdempotencyHeaders } from '../../schemas/idempotency';
import { SupplierListQuery, SupplierPage } from '../../schemas/crm/catalogue';
import { notFound, validCrmBody } from '../../services/crm/crm-problems';
import { createIdempotently } from '../../services/idempotent-create';

/** Suppliers, which purchase requests for missing stock go to. */
const supplierRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.get(
    '/suppliers',
    {
      config: { permission: 'suppliers.read' },
      schema: {
        tags: ['crm'],
        summary: 'List suppliers (filter by product line)',
        querystring: SupplierListQuery,
        response: { 200: SupplierPage, 400: Problem },
      },
    },
    async (request) => {
      principalOf(request);
      const page = await new CatalogueRepository(ctx.orm.em.fork()).listSuppliers(request.query);
      return { items: page.items.map(toSupplierRecord), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/suppliers',
    {
      config: { permission: 'catalogue.write' },
      schema: {
        tags: ['crm'],
        summary: 'Add a supplier (admin, designer)',
        headers: IdempotencyHeaders,
        body: CreateSupplierInput,
        response: { 200: Supplier, 201: Supplier, 400: ValidationProblem, 403: Problem },
      },
    },
    async (request, reply) => {
      const principal = requireRight(request, 'catalogue.write');
      const input = validCrmBody(CreateSupplierInput, request.body);
      const { result, created } = await createIdempotently(ctx, {
        scope: 'suppliers',
        principal,
        idempotencyKey: request.headers['idempotency-key'],
        request: input,
        create: async (em) => ({ id: (await new CatalogueRepository(em).createSupplier(input)).id, eventId: null }),
        replay: async (id) => ({ id, eventId: null }),
      });
      const supplier = await new CatalogueRepository(ctx.orm.em.fork()).findSupplier(result.id);
      if (!supplier) throw notFound('supplier', result.id);
      reply.code(created ? 201 : 200);
      return toSupplierRecord(supplier);
    },
  );
};

export default supplierRoutes;
