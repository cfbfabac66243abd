import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { EngineContext } from '../../engine-deps';
import { named } from '../../named-plugin';
import customerRoutes from './customers';
import fulfilmentRoutes from './fulfilment';
import leadRoutes from './leads';
import opportunityRoutes from './opportunities';
import orderRoutes from './orders';
import productRoutes from './products';
import quoteRoutes from './quotes';
import stockRoutes from './stock';
import supplierRoutes from './suppliers';
import surveyRoutes from './surveys';
import ticketRoutes from './tickets';
import userRoutes from './users';

const CRM_ROUTES = [
  userRoutes,
  customerRoutes,
  leadRoutes,
  opportunityRoutes,
  productRoutes,
  stockRoutes,
  supplierRoutes,
  quoteRoutes,
  orderRoutes,
  fulfilmentRoutes,
  ticketRoutes,
  surveyRoutes,
];

/** Every CRM resource, under the same /api/v1 prefix and API-key authentication as the engine routes. */
const crmRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  for (const routes of CRM_ROUTES) await app.register(named(routes), { ctx });
};

export default crmRoutes;
