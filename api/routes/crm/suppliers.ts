import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CatalogueRepository, toSupplierRecord } from '../../../db/crm/catalogue/catalogue.repository';
import { CreateSupplierInput, Supplier } from '../../../db/crm/catalogue/catalogue.schema';
import type { EngineContext } from '../../engine-deps';
import { principalOf, requireRight } from '../../plugins/auth';
import { Problem, ValidationProblem } from '../../schemas/problem';
import { SupplierListQuery, SupplierPage } from '../../schemas/crm/catalogue';
import { validCrmBody } from '../../services/crm/crm-problems';

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
        body: CreateSupplierInput,
        response: { 201: Supplier, 400: ValidationProblem, 403: Problem },
      },
    },
    async (request, reply) => {
      requireRight(request, 'catalogue.write');
      const input = validCrmBody(CreateSupplierInput, request.body);
      reply.code(201);
      return toSupplierRecord(await new CatalogueRepository(ctx.orm.em.fork()).createSupplier(input));
    },
  );
};

export default supplierRoutes;
