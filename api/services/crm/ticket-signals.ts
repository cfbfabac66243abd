import { TicketRepository } from '../../../db/crm/tickets';
import type { EngineContext } from '../../engine-deps';
import { notFound } from './crm-problems';
import { assertEventAllowed } from './record-event-states';
import { signalRequiredProcess } from './signal-process';

/** What a ticket event sent to its running process answers. */
export interface TicketSignalled {
  accepted: true;
  event: string;
  eventId: string;
  instanceIds: string[];
}

/**
 * Sends `ticket.reopened` to the ticket's running process (404 without the ticket, 409 when it is not
 * resolved or has no process). `by` is who asks: a user id, or `customer:<contact>` from a mail link.
 */
export async function reopenTicket(
  ctx: EngineContext,
  ticketId: string,
  input: { reason?: string | null; by: string },
): Promise<TicketSignalled> {
  const ticket = await new TicketRepository(ctx.orm.em.fork()).find(ticketId);
  if (!ticket) throw notFound('ticket', ticketId);
  assertEventAllowed('ticket.reopened', ticketId, ticket.status);
  // The ticket's last change makes a resent reopen the same event, and a later reopen a new one.
  const eventId = `${ticketId}:reopened:${ticket.updatedAt.toISOString()}`;
  const instanceIds = await signalRequiredProcess(ctx, {
    businessKey: ticketId,
    event: 'ticket.reopened',
    payload: { ticketId, reason: input.reason ?? null, by: input.by },
    eventId,
  });
  return { accepted: true, event: 'ticket.reopened', eventId, instanceIds };
}

/** Sends `ticket.confirmed` (solved, close it now) to the ticket's running process; as {@link reopenTicket}. */
export async function confirmTicket(ctx: EngineContext, ticketId: string, by: string): Promise<TicketSignalled> {
  const ticket = await new TicketRepository(ctx.orm.em.fork()).find(ticketId);
  if (!ticket) throw notFound('ticket', ticketId);
  assertEventAllowed('ticket.confirmed', ticketId, ticket.status);
  const eventId = `${ticketId}:confirmed`;
  const instanceIds = await signalRequiredProcess(ctx, {
    businessKey: ticketId,
    event: 'ticket.confirmed',
    payload: { ticketId, by },
    eventId,
  });
  return { accepted: true, event: 'ticket.confirmed', eventId, instanceIds };
}
