import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CreateSupplierInput } from '../../../db/crm-schemas';
import { insertSupplier, listSuppliers, toSupplier } from '../../../db/repositories/crm/catalogue-queries';
import type { EngineContext } from '../../engine-deps';
import { callerOf, requireRight } from '../../plugins/auth';
import { Problem, ValidationProblem } from '../../schemas/problem';
import { Supplier, SupplierListQuery, SupplierPage } from '../../schemas/crm/catalogue';
import { newCrmId } from '../../../db/crm/crm-id';
import { validCrmBody } from '../../services/crm/crm-problems';

/** Suppliers, which purchase requests for missing stock go to. */
const supplierRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.get('/suppliers', {
    schema: { tags: ['crm'], summary: 'List suppliers (filter by product line)', querystring: SupplierListQuery, response: { 200: SupplierPage, 400: Problem } },
  }, async (request) => {
    callerOf(request);
    const page = await listSuppliers(ctx.orm.em.fork(), request.query);
    return { items: page.items.map(toSupplier), nextCursor: page.nextCursor };
  });

  app.post('/suppliers', {
    schema: { tags: ['crm'], summary: 'Add a supplier (admin, designer)', body: CreateSupplierInput, response: { 201: Supplier, 400: ValidationProblem, 403: Problem } },
  }, async (request, reply) => {
    requireRight(request, 'catalogue.write');
    const input = validCrmBody(CreateSupplierInput, request.body);
    reply.code(201);
    return toSupplier(await insertSupplier(ctx.orm.em.fork(), newCrmId('S'), input));
  });
};

export default supplierRoutes;
