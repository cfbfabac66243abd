import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CustomerRepository } from '../../../db/crm/customers';
import { LeadRepository, OpportunityRepository } from '../../../db/crm/leads';
import {
  CreateOpportunityInput,
  Opportunity,
  OpportunityListFilters,
  UpdateOpportunityStageInput,
} from '../../../db/crm/leads/lead.schema';
import type { EngineContext } from '../../engine-deps';
import { principalOf } from '../../plugins/auth';
import { Problem, ValidationProblem } from '../../schemas/problem';
import { CrmPage, IdParam, PageQuery } from '../../schemas/crm/crm-records';
import { notFound, unknownReferences, validCrmBody, type UnknownReference } from '../../services/crm/crm-problems';

const OpportunityListQuery = Type.Object({ ...OpportunityListFilters, ...PageQuery }, { additionalProperties: false });

/** The sales funnel: opportunities and their stages. */
const opportunityRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.get(
    '/opportunities',
    {
      config: { permission: 'opportunities.read' },
      schema: {
        tags: ['crm'],
        summary: 'List opportunities, newest first',
        querystring: OpportunityListQuery,
        response: { 200: CrmPage(Opportunity), 400: Problem },
      },
    },
    async (request) => {
      principalOf(request);
      const opportunities = new OpportunityRepository(ctx.orm.em.fork());
      const page = await opportunities.list(request.query);
      return {
        items: page.items.map((opportunity) => opportunities.toRecord(opportunity)),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get(
    '/opportunities/:id',
    {
      config: { permission: 'opportunities.read' },
      schema: {
        tags: ['crm'],
        summary: 'One opportunity',
        params: IdParam,
        response: { 200: Opportunity, 404: Problem },
      },
    },
    async (request) => {
      principalOf(request);
      const opportunities = new OpportunityRepository(ctx.orm.em.fork());
      const opportunity = await opportunities.find(request.params.id);
      if (!opportunity) throw notFound('opportunity', request.params.id);
      return opportunities.toRecord(opportunity);
    },
  );

  app.post(
    '/opportunities',
    {
      config: { permission: 'opportunities.write' },
      schema: {
        tags: ['crm'],
        summary: 'Create an opportunity (probability defaults from the stage)',
        body: CreateOpportunityInput,
        response: { 201: Opportunity, 400: ValidationProblem, 422: Problem },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const input = validCrmBody(CreateOpportunityInput, request.body);
      const em = ctx.orm.em.fork();
      const missing: UnknownReference[] = [];
      if (!(await new CustomerRepository(em).exists(input.customerId)))
        missing.push({ pointer: '/customerId', kind: 'customer', id: input.customerId });
      if (input.leadId && !(await new LeadRepository(em).exists(input.leadId)))
        missing.push({ pointer: '/leadId', kind: 'lead', id: input.leadId });
      if (missing.length > 0) throw unknownReferences(missing);
      const opportunities = new OpportunityRepository(em);
      const opportunity = opportunities.toRecord(await opportunities.create({ ...input, ownerId: principal.userId }));
      reply.code(201).header('location', `/api/v1/opportunities/${opportunity.id}`);
      return opportunity;
    },
  );

  app.patch(
    '/opportunities/:id/stage',
    {
      config: { permission: 'opportunities.write' },
      schema: {
        tags: ['crm'],
        summary: 'Move an opportunity to a stage',
        description:
          'Probability defaults: prospecting 10, qualification 20, proposal 50, negotiation 75, won 100, lost 0.',
        params: IdParam,
        body: UpdateOpportunityStageInput,
        response: { 200: Opportunity, 400: ValidationProblem, 404: Problem },
      },
    },
    async (request) => {
      principalOf(request);
      const input = validCrmBody(UpdateOpportunityStageInput, request.body);
      const opportunities = new OpportunityRepository(ctx.orm.em.fork());
      const opportunity = await opportunities.moveToStage(request.params.id, input.stage, input.probability);
      if (!opportunity) throw notFound('opportunity', request.params.id);
      return opportunities.toRecord(opportunity);
    },
  );
};

export default opportunityRoutes;
