import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { LeadRepository } from '../../../db/crm/leads';
import { CreateLeadInput, Lead, LeadListFilters, LeadWithNotes } from '../../../db/crm/leads/lead.schema';
import { findRaisedEventId, raiseProcessEvent } from '../../../db/repositories';
import { hasRight } from '../../../contracts/roles';
import { assertVisible, ownerIdsOf, scopeOf } from '../../access/owned-records';
import type { EngineContext } from '../../engine-deps';
import { principalOf } from '../../plugins/auth';
import { Problem, ValidationProblem } from '../../schemas/problem';
import { IdempotencyHeaders } from '../../schemas/idempotency';
import { CrmPage, IdParam, PageQuery, StartedProcesses } from '../../schemas/crm/crm-records';
import { conflict, notFound, validCrmBody } from '../../services/crm/crm-problems';
import { dispatchRaised } from '../../services/crm/dispatch-raised';
import { createIdempotently } from '../../services/idempotent-create';

const CreatedLead = Type.Object({ lead: Lead, ...StartedProcesses });
const CreateLeadQuery = Type.Object(
  {
    allowDuplicate: Type.Optional(Type.Boolean({ description: 'Create it even if it looks like an existing lead.' })),
  },
  { additionalProperties: false },
);
const LeadListQuery = Type.Object({ ...LeadListFilters, ...PageQuery }, { additionalProperties: false });

/** Sales leads: creating one raises `lead.created`, which starts the lead processes. */
const leadRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  /** The lead as stored: what a replayed create answers with. */
  const storedLead = async (id: string): Promise<Lead> => {
    const leads = new LeadRepository(ctx.orm.em.fork());
    const lead = await leads.find(id);
    if (!lead) throw notFound('lead', id);
    return leads.toRecord(lead);
  };

  app.post(
    '/leads',
    {
      config: { permission: 'leads.write' },
      schema: {
        tags: ['crm'],
        summary: 'Create a lead (starts the processes bound to lead.created)',
        description:
          'A lead with the same e-mail (any case), or the same company and contact name (ignoring case and spaces), ' +
          'that is not disqualified makes this a 409 `lead-duplicate` naming it in `duplicateOf`, unless `allowDuplicate=true`.',
        querystring: CreateLeadQuery,
        headers: IdempotencyHeaders,
        body: CreateLeadInput,
        response: { 200: CreatedLead, 201: CreatedLead, 400: ValidationProblem, 409: Problem },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const input = validCrmBody(CreateLeadInput, request.body);
      // A rep entering a lead keeps it; a lead from anyone else waits for the assignment process.
      const ownerId = hasRight(principal.roles, 'leads.own-entered') ? principal.userId : null;
      const { result, created } = await createIdempotently(ctx, {
        scope: 'leads',
        principal,
        idempotencyKey: request.headers['idempotency-key'],
        request: { input, allowDuplicate: request.query.allowDuplicate === true },
        create: async (em) => {
          const leads = new LeadRepository(em);
          if (request.query.allowDuplicate !== true) {
            const duplicateOf = await leads.findDuplicate(input);
            if (duplicateOf !== null) {
              throw conflict(
                'lead-duplicate',
                `This looks like lead '${duplicateOf}'; pass allowDuplicate=true to create it anyway.`,
                { duplicateOf },
              );
            }
          }
          const lead = await leads.create(input, ownerId, principal.userId);
          const event = await raiseProcessEvent(
            em,
            'lead.created',
            { leadId: lead.id },
            { dedupeKey: lead.id, raisedBy: principal.userId, taskQueue: ctx.taskQueue, claimForDispatch: true },
          );
          // The lead as written (the answer reads no row back); a replay reads the stored one.
          return { id: lead.id, eventId: event.id, claimedEvent: event.claimed, lead: leads.toRecord(lead) };
        },
        replay: async (id) => ({ id, eventId: await findRaisedEventId(ctx.orm.em.fork(), 'lead.created', id) }),
      });
      const dispatched = await dispatchRaised(ctx, request.log, result);
      reply.code(created ? 201 : 200).header('location', `/api/v1/leads/${result.id}`);
      return { lead: 'lead' in result ? result.lead : await storedLead(result.id), ...dispatched };
    },
  );

  app.get(
    '/leads',
    {
      config: { permission: 'leads.read' },
      schema: {
        tags: ['crm'],
        summary: 'List leads, newest first',
        description:
          "Sales reps see only the leads they own, sales managers their team's; a lead without an owner only readers who see every lead.",
        querystring: LeadListQuery,
        response: { 200: CrmPage(Lead), 400: Problem },
      },
    },
    async (request) => {
      const scope = await scopeOf(ctx, principalOf(request), 'leads');
      const leads = new LeadRepository(ctx.orm.em.fork());
      const page = await leads.list({ ...request.query, ownerIds: ownerIdsOf(scope) });
      return { items: page.items.map((lead) => leads.toRecord(lead)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/leads/:id',
    {
      config: { permission: 'leads.read' },
      schema: {
        tags: ['crm'],
        summary: 'One lead with its notes',
        params: IdParam,
        response: { 200: LeadWithNotes, 404: Problem },
      },
    },
    async (request) => {
      const scope = await scopeOf(ctx, principalOf(request), 'leads');
      const leads = new LeadRepository(ctx.orm.em.fork());
      const lead = await leads.find(request.params.id);
      assertVisible(scope, lead, () => notFound('lead', request.params.id));
      return leads.toRecordWithNotes(lead);
    },
  );
};

export default leadRoutes;
