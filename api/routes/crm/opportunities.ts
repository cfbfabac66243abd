import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CreateOpportunityInput, UpdateOpportunityStageInput } from '../../../db/crm-schemas';
import { existingIds } from '../../../db/repositories/crm/existing-ids';
import {
  getOpportunity, insertOpportunity, listOpportunities, toOpportunity, updateOpportunityStage,
} from '../../../db/repositories/crm/opportunity-queries';
import type { EngineContext } from '../../engine-deps';
import { callerOf } from '../../plugins/auth';
import { Problem, ValidationProblem } from '../../schemas/problem';
import { IdParam } from '../../schemas/crm/common';
import { Opportunity, OpportunityListQuery, OpportunityPage } from '../../schemas/crm/opportunities';
import { newCrmId } from '../../../db/crm/crm-id';
import { notFound, unknownReferences, validCrmBody, type UnknownReference } from '../../services/crm/crm-problems';

/** The sales funnel: opportunities and their stages. */
const opportunityRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.get('/opportunities', {
    schema: { tags: ['crm'], summary: 'List opportunities, newest first', querystring: OpportunityListQuery, response: { 200: OpportunityPage, 400: Problem } },
  }, async (request) => {
    callerOf(request);
    const page = await listOpportunities(ctx.orm.em.fork(), request.query);
    return { items: page.items.map(toOpportunity), nextCursor: page.nextCursor };
  });

  app.get('/opportunities/:id', {
    schema: { tags: ['crm'], summary: 'One opportunity', params: IdParam, response: { 200: Opportunity, 404: Problem } },
  }, async (request) => {
    callerOf(request);
    const row = await getOpportunity(ctx.orm.em.fork(), request.params.id);
    if (!row) throw notFound('opportunity', request.params.id);
    return toOpportunity(row);
  });

  app.post('/opportunities', {
    schema: {
      tags: ['crm'], summary: 'Create an opportunity (probability defaults from the stage)', body: CreateOpportunityInput,
      response: { 201: Opportunity, 400: ValidationProblem, 422: Problem },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const input = validCrmBody(CreateOpportunityInput, request.body);
    const em = ctx.orm.em.fork();
    const missing: UnknownReference[] = [];
    if ((await existingIds(em, 'customers', [input.customerId])).size === 0) missing.push({ pointer: '/customerId', kind: 'customer', id: input.customerId });
    if (input.leadId && (await existingIds(em, 'leads', [input.leadId])).size === 0) missing.push({ pointer: '/leadId', kind: 'lead', id: input.leadId });
    if (missing.length > 0) throw unknownReferences(missing);
    const row = await insertOpportunity(em, newCrmId('OP'), input, caller.userId);
    reply.code(201).header('location', `/api/v1/opportunities/${String(row['id'])}`);
    return toOpportunity(row);
  });

  app.patch('/opportunities/:id/stage', {
    schema: {
      tags: ['crm'], summary: 'Move an opportunity to a stage', description: 'Probability defaults: prospecting 10, qualification 20, proposal 50, negotiation 75, won 100, lost 0.',
      params: IdParam, body: UpdateOpportunityStageInput, response: { 200: Opportunity, 400: ValidationProblem, 404: Problem },
    },
  }, async (request) => {
    callerOf(request);
    const input = validCrmBody(UpdateOpportunityStageInput, request.body);
    const row = await updateOpportunityStage(ctx.orm.em.fork(), request.params.id, input.stage, input.probability);
    if (!row) throw notFound('opportunity', request.params.id);
    return toOpportunity(row);
  });
};

export default opportunityRoutes;
