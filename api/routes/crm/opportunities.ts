import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { OpportunityRepository } from '../../../db/crm/leads';
import {
  CreateOpportunityInput,
  Opportunity,
  OpportunityListFilters,
  UpdateOpportunityStageInput,
} from '../../../db/crm/leads/lead.schema';
import { assertVisible, ownerIdsOf, scopeOf } from '../../access/owned-records';
import type { EngineContext } from '../../engine-deps';
import { principalOf } from '../../plugins/auth';
import { Problem, ValidationProblem } from '../../schemas/problem';
import { IdempotencyHeaders } from '../../schemas/idempotency';
import { CrmPage, IdParam, PageQuery } from '../../schemas/crm/crm-records';
import { notFound, validCrmBody } from '../../services/crm/crm-problems';
import { assertReferencesExist, type Reference } from '../../services/crm/reference-check';
import { createIdempotently } from '../../services/idempotent-create';

const OpportunityListQuery = Type.Object({ ...OpportunityListFilters, ...PageQuery }, { additionalProperties: false });

/**
 * The sales funnel: opportunities and their stages. Each has its own owner: a rep sees and moves
 * their own, a manager the team's, see-all holders every one.
 */
const opportunityRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.get(
    '/opportunities',
    {
      config: { permission: 'opportunities.read' },
      schema: {
        tags: ['crm'],
        summary: 'List opportunities, newest first',
        description: "Sales reps see their own, sales managers their team's.",
        querystring: OpportunityListQuery,
        response: { 200: CrmPage(Opportunity), 400: Problem },
      },
    },
    async (request) => {
      const scope = await scopeOf(ctx, principalOf(request), 'opportunities');
      const opportunities = new OpportunityRepository(ctx.orm.em.fork());
      const page = await opportunities.list({ ...request.query, ownerIds: ownerIdsOf(scope) });
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
      const scope = await scopeOf(ctx, principalOf(request), 'opportunities');
      const opportunities = new OpportunityRepository(ctx.orm.em.fork());
      const opportunity = await opportunities.find(request.params.id);
      assertVisible(scope, opportunity, () => notFound('opportunity', request.params.id));
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
        description:
          'Owned by the caller, for a customer (and lead) the caller may see: any other is a 422 `unknown-reference` like a missing one.',
        headers: IdempotencyHeaders,
        body: CreateOpportunityInput,
        response: { 200: Opportunity, 201: Opportunity, 400: ValidationProblem, 422: Problem },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const input = validCrmBody(CreateOpportunityInput, request.body);
      // A customer or lead the caller may not see is named like a missing one: its existence does not leak.
      const refs: Reference[] = [
        {
          table: 'customers',
          kind: 'customer',
          id: input.customerId,
          pointer: '/customerId',
          ownerIds: ownerIdsOf(await scopeOf(ctx, principal, 'customers')),
        },
      ];
      if (input.leadId)
        refs.push({
          table: 'leads',
          kind: 'lead',
          id: input.leadId,
          pointer: '/leadId',
          ownerIds: ownerIdsOf(await scopeOf(ctx, principal, 'leads')),
        });
      const { result, created } = await createIdempotently(ctx, {
        scope: 'opportunities',
        principal,
        idempotencyKey: request.headers['idempotency-key'],
        request: input,
        create: async (em) => {
          await assertReferencesExist(em, refs);
          const opportunity = await new OpportunityRepository(em).create({ ...input, ownerId: principal.userId });
          return { id: opportunity.id, eventId: null };
        },
        replay: async (id) => ({ id, eventId: null }),
      });
      const opportunities = new OpportunityRepository(ctx.orm.em.fork());
      const opportunity = await opportunities.find(result.id);
      if (!opportunity) throw notFound('opportunity', result.id);
      reply.code(created ? 201 : 200).header('location', `/api/v1/opportunities/${result.id}`);
      return opportunities.toRecord(opportunity);
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
          'Probability defaults: prospecting 10, qualification 20, proposal 50, negotiation 75, won 100, lost 0. ' +
          "Only the owner, the owner's manager (team) or a see-all role moves it; for anyone else it is a 404 and nothing changes.",
        params: IdParam,
        body: UpdateOpportunityStageInput,
        response: { 200: Opportunity, 400: ValidationProblem, 404: Problem },
      },
    },
    async (request) => {
      const input = validCrmBody(UpdateOpportunityStageInput, request.body);
      const { id } = request.params;
      const scope = await scopeOf(ctx, principalOf(request), 'opportunities');
      return ctx.orm.em.fork().transactional(async (em) => {
        const opportunities = new OpportunityRepository(em);
        // Checked under the row lock the move is made in.
        assertVisible(scope, await opportunities.lock(id), () => notFound('opportunity', id));
        const opportunity = await opportunities.moveToStage(id, input.stage, input.probability);
        if (!opportunity) throw notFound('opportunity', id);
        return opportunities.toRecord(opportunity);
      });
    },
  );
};

export default opportunityRoutes;
