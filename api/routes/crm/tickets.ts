import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CreateTicketInput, ReopenTicketInput, TicketRecord, TicketRepository } from '../../../db/crm/tickets';
import { findRaisedEventId, raiseProcessEvent } from '../../../db/repositories';
import { CustomerRepository } from '../../../db/crm/customers';
import { withoutContactFields } from '../../access/contact-fields';
import type { EngineContext } from '../../engine-deps';
import type { Principal } from '../../principal';
import { principalOf } from '../../plugins/auth';
import { Problem, ValidationProblem } from '../../schemas/problem';
import { IdempotencyHeaders } from '../../schemas/idempotency';
import { CrmPage, IdParam, PageQuery } from '../../schemas/crm/crm-records';
import { StartedProcesses } from '../../schemas/crm/crm-records';
import { Signalled } from '../../schemas/crm/crm-records';
import { notFound, unknownReferences, validCrmBody } from '../../services/crm/crm-problems';
import { dispatchRaised } from '../../services/crm/dispatch-raised';
import { createIdempotently } from '../../services/idempotent-create';
import { confirmTicket, reopenTicket } from '../../services/crm/ticket-signals';

const CreatedTicket = Type.Object({ ticket: TicketRecord, ...StartedProcesses });
const TicketListQuery = Type.Object(
  {
    status: Type.Optional(Type.String()),
    customerId: Type.Optional(Type.String()),
    assigneeId: Type.Optional(Type.String()),
    category: Type.Optional(Type.String()),
    priority: Type.Optional(Type.String()),
    ...PageQuery,
  },
  { additionalProperties: false },
);
const TicketPage = CrmPage(TicketRecord);

/**
 * A ticket as the principal may see it: who reported it only with contacts.read (every support
 * role holds it today; the ticket's text keeps an unknown reporter's address, see README).
 */
function ticketFor(principal: Principal, ticket: TicketRecord): TicketRecord {
  return withoutContactFields(principal, ticket, ['contactId']);
}

/** Service tickets: opening one raises `ticket.opened`; reopen and confirm reach the running ticket process. */
const ticketRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.post(
    '/tickets',
    {
      config: { permission: 'tickets.write' },
      schema: {
        tags: ['crm'],
        summary: 'Open a ticket (starts the processes bound to ticket.opened)',
        description: 'The contact is found by e-mail or phone; an unknown one is added to the given customer.',
        headers: IdempotencyHeaders,
        body: CreateTicketInput,
        response: { 200: CreatedTicket, 201: CreatedTicket, 400: ValidationProblem, 422: Problem },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const input = validCrmBody(CreateTicketInput, request.body);
      const { result, created } = await createIdempotently(ctx, {
        scope: 'tickets',
        principal,
        idempotencyKey: request.headers['idempotency-key'],
        request: input,
        create: async (em) => {
          if (input.customerId && !(await new CustomerRepository(em).exists(input.customerId))) {
            throw unknownReferences([{ pointer: '/customerId', kind: 'customer', id: input.customerId }]);
          }
          let contact = await new CustomerRepository(em).findContactByAddress({
            customerId: input.customerId,
            email: input.contactEmail,
            phone: input.contactPhone,
          });
          if (!contact && input.customerId && (input.contactEmail || input.contactPhone)) {
            const added = await new CustomerRepository(em).addContact(input.customerId, {
              name: input.contactEmail ?? input.contactPhone ?? 'unknown',
              email: input.contactEmail,
              phone: input.contactPhone,
            });
            contact = { id: added.id, customerId: input.customerId };
          }
          const customerId = input.customerId ?? contact?.customerId ?? null;
          // Without a known contact the reporter's address would be lost: keep it with the text.
          const from =
            !contact && (input.contactEmail || input.contactPhone)
              ? `From: ${[input.contactEmail, input.contactPhone].filter(Boolean).join(', ')}\n\n`
              : '';
          const tickets = new TicketRepository(em);
          const opened = await tickets.create({
            customerId,
            contactId: contact?.id ?? null,
            subject: input.subject,
            body: from + input.body,
            category: input.category,
            priority: input.priority,
          });
          const event = await raiseProcessEvent(
            em,
            'ticket.opened',
            { ticketId: opened.id },
            { dedupeKey: opened.id, raisedBy: principal.userId, taskQueue: ctx.taskQueue, claimForDispatch: true },
          );
          return { id: opened.id, eventId: event.id, claimedEvent: event.claimed };
        },
        replay: async (id) => ({ id, eventId: await findRaisedEventId(ctx.orm.em.fork(), 'ticket.opened', id) }),
      });
      const dispatched = await dispatchRaised(ctx, request.log, result);
      const tickets = new TicketRepository(ctx.orm.em.fork());
      const ticket = await tickets.find(result.id);
      if (!ticket) throw notFound('ticket', result.id);
      reply.code(created ? 201 : 200).header('location', `/api/v1/tickets/${result.id}`);
      return { ticket: ticketFor(principal, tickets.toRecord(ticket)), ...dispatched };
    },
  );

  app.get(
    '/tickets',
    {
      config: { permission: 'tickets.read' },
      schema: {
        tags: ['crm'],
        summary: 'List tickets, newest first',
        querystring: TicketListQuery,
        response: { 200: TicketPage, 400: Problem },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const tickets = new TicketRepository(ctx.orm.em.fork());
      const page = await tickets.list(request.query);
      return {
        items: page.items.map((ticket) => ticketFor(principal, tickets.toRecord(ticket))),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get(
    '/tickets/:id',
    {
      config: { permission: 'tickets.read' },
      schema: { tags: ['crm'], summary: 'One ticket', params: IdParam, response: { 200: TicketRecord, 404: Problem } },
    },
    async (request) => {
      const principal = principalOf(request);
      const tickets = new TicketRepository(ctx.orm.em.fork());
      const ticket = await tickets.find(request.params.id);
      if (!ticket) throw notFound('ticket', request.params.id);
      return ticketFor(principal, tickets.toRecord(ticket));
    },
  );

  app.post(
    '/tickets/:id/reopen',
    {
      config: { permission: 'tickets.write' },
      schema: {
        tags: ['crm'],
        summary: 'Reopen a ticket (ticket.reopened to its running process)',
        description:
          'Only a resolved ticket: otherwise 409 `event-not-allowed` naming its status. 409 `no-running-process` when no process works on it.',
        params: IdParam,
        body: ReopenTicketInput,
        response: { 202: Signalled, 400: ValidationProblem, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const input = validCrmBody(ReopenTicketInput, request.body ?? {});
      const signalled = await reopenTicket(ctx, request.params.id, { reason: input.reason, by: principal.userId });
      reply.code(202);
      return signalled;
    },
  );

  app.post(
    '/tickets/:id/confirm',
    {
      config: { permission: 'tickets.write' },
      schema: {
        tags: ['crm'],
        summary: 'Confirm a ticket is solved (ticket.confirmed to its running process)',
        description:
          'Only a resolved ticket: otherwise 409 `event-not-allowed` naming its status. 409 `no-running-process` when no process works on it.',
        params: IdParam,
        response: { 202: Signalled, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const signalled = await confirmTicket(ctx, request.params.id, principalOf(request).userId);
      reply.code(202);
      return signalled;
    },
  );
};

export default ticketRoutes;
