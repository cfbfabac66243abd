import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CreateLeadInput } from '../../../db/crm-schemas';
import { raiseProcessEvent } from '../../../db/repositories';
import { findDuplicateLead, getLead, insertLead, listLeads, toLead, toLeadWithNotes } from '../../../db/repositories/crm/lead-queries';
import { hasRight } from '../../../contracts/roles';
import type { EngineContext } from '../../engine-deps';
import { callerOf } from '../../plugins/auth';
import { Problem, ValidationProblem } from '../../schemas/problem';
import { IdParam } from '../../schemas/crm/common';
import { CreatedLead, CreateLeadQuery, LeadListQuery, LeadPage, LeadWithNotes } from '../../schemas/crm/leads';
import { newCrmId } from '../../../db/crm/crm-id';
import { conflict, notFound, validCrmBody } from '../../services/crm/crm-problems';
import { dispatchRaised } from '../../services/crm/dispatch-raised';
import { leadOwnerScope } from '../../services/crm/lead-visibility';

/** Sales leads: creating one raises `lead.created`, which starts the lead processes. */
const leadRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.post('/leads', {
    schema: {
      tags: ['crm'], summary: 'Create a lead (starts the processes bound to lead.created)',
      description: 'A lead with the same e-mail (any case), or the same company and contact name (ignoring case and spaces), '
        + 'that is not disqualified makes this a 409 `lead-duplicate` naming it in `duplicateOf`, unless `allowDuplicate=true`.',
      querystring: CreateLeadQuery, body: CreateLeadInput,
      response: { 201: CreatedLead, 400: ValidationProblem, 409: Problem },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const input = validCrmBody(CreateLeadInput, request.body);
    const id = newCrmId('L');
    // A rep entering a lead keeps it; a lead from anyone else waits for the assignment process.
    const ownerId = hasRight(caller.roles, 'leads.own-entered') ? caller.userId : null;
    const { row, eventId } = await ctx.orm.em.fork().transactional(async (em) => {
      if (request.query.allowDuplicate !== true) {
        const duplicate = await findDuplicateLead(em, input);
        if (duplicate) {
          throw conflict('lead-duplicate', `This looks like lead '${String(duplicate['id'])}'; pass allowDuplicate=true to create it anyway.`, {
            duplicateOf: String(duplicate['id']),
          });
        }
      }
      const inserted = await insertLead(em, id, input, ownerId, caller.userId);
      const event = await raiseProcessEvent(em, 'lead.created', { leadId: id }, { dedupeKey: id, raisedBy: caller.userId, taskQueue: ctx.taskQueue });
      return { row: inserted, eventId: event.id };
    });
    const dispatched = await dispatchRaised(ctx, request.log, eventId);
    reply.code(201).header('location', `/api/v1/leads/${id}`);
    return { lead: toLead(row), ...dispatched };
  });

  app.get('/leads', {
    schema: {
      tags: ['crm'], summary: 'List leads, newest first', description: 'Sales reps see only the leads they own.',
      querystring: LeadListQuery, response: { 200: LeadPage, 400: Problem },
    },
  }, async (request) => {
    const scope = leadOwnerScope(callerOf(request));
    const page = await listLeads(ctx.orm.em.fork(), { ...request.query, ...(scope !== undefined ? { ownerId: scope } : {}) });
    return { items: page.items.map(toLead), nextCursor: page.nextCursor };
  });

  app.get('/leads/:id', {
    schema: { tags: ['crm'], summary: 'One lead with its notes', params: IdParam, response: { 200: LeadWithNotes, 404: Problem } },
  }, async (request) => {
    const scope = leadOwnerScope(callerOf(request));
    const row = await getLead(ctx.orm.em.fork(), request.params.id);
    if (!row || (scope !== undefined && row['owner_id'] !== scope)) throw notFound('lead', request.params.id);
    return toLeadWithNotes(row);
  });
};

export default leadRoutes;
