import type { FastifyBaseLogger } from 'fastify';
import type { AuditActor } from '../../../db/audit/audit-context';
import { runAsAuditActor } from '../../../db/audit/audit-context';
import { CustomerRepository } from '../../../db/crm/customers';
import { OrderRepository, type CustomerOrderView } from '../../../db/crm/orders/order.repository';
import { SurveyRepository, type SurveyAnswers, type SurveyQuestion } from '../../../db/crm/surveys';
import { TicketRepository } from '../../../db/crm/tickets';
import type { SignedLink } from '../../../db/links';
import type { EngineContext } from '../../engine-deps';
import { conflict } from '../crm/crm-problems';
import { answerSurveyInvitation } from '../crm/survey-responses';
import { confirmTicket, reopenTicket } from '../crm/ticket-signals';
import { linkNotFound, useLink } from './link-access';

/*
 * The customer's pages behind mail links. Each shows one record of the customer the link was
 * mailed to, and only what that customer may see; a link whose record is gone or belongs to
 * someone else is not found, like a forged one.
 */

export interface SurveyLinkView {
  survey: { title: string; questions: SurveyQuestion[] };
  customerName: string;
  answered: boolean;
}

export async function viewSurveyLink(ctx: EngineContext, link: SignedLink): Promise<SurveyLinkView> {
  const em = ctx.orm.em.fork();
  const invitation = await new SurveyRepository(em).findInvitation(link.subject);
  if (!invitation || invitation.customer?.id !== link.recipient) throw linkNotFound();
  const customer = await new CustomerRepository(em).find(link.recipient);
  return {
    survey: { title: invitation.survey.name, questions: invitation.survey.questions as SurveyQuestion[] },
    customerName: customer?.name ?? '',
    answered: invitation.status === 'responded',
  };
}

/** Answers the survey once, as the survey route does; the link is used in the response's transaction. */
export async function answerSurveyLink(
  ctx: EngineContext,
  link: SignedLink,
  answers: SurveyAnswers,
  where: AuditActor,
  log: FastifyBaseLogger,
): Promise<SurveyLinkView> {
  await viewSurveyLink(ctx, link);
  await runAsAuditActor(
    () => customerActor(where, link),
    () => answerSurveyInvitation(ctx, link.subject, answers, log, (em) => useLink(em, link)),
  );
  return viewSurveyLink(ctx, link);
}

export interface TicketLinkView {
  ticket: {
    id: string;
    subject: string;
    status: string;
    createdAt: string;
    respondedAt: string | null;
    resolvedAt: string | null;
    closedAt: string | null;
    resolution: string | null;
  };
  mayConfirm: boolean;
  mayReopen: boolean;
}

export async function viewTicketLink(ctx: EngineContext, link: SignedLink): Promise<TicketLinkView> {
  const ticket = await new TicketRepository(ctx.orm.em.fork()).find(link.subject);
  if (!ticket || (ticket.contact?.id !== link.recipient && ticket.customer?.id !== link.recipient))
    throw linkNotFound();
  // Only a resolved ticket's process waits for the customer's word; before that, or once closed, no one listens.
  const awaitingCustomer = ticket.status === 'resolved';
  return {
    ticket: {
      id: ticket.id,
      subject: ticket.subject,
      status: ticket.status,
      createdAt: ticket.createdAt.toISOString(),
      respondedAt: ticket.respondedAt?.toISOString() ?? null,
      resolvedAt: ticket.resolvedAt?.toISOString() ?? null,
      closedAt: ticket.closedAt?.toISOString() ?? null,
      resolution: ticket.resolution ?? null,
    },
    mayConfirm: awaitingCustomer,
    mayReopen: awaitingCustomer,
  };
}

/**
 * Confirms the resolution or reopens the ticket, as the ticket routes do, on behalf of the customer
 * the link was mailed to; the link is used in the same transaction as the event is sent.
 */
export async function actOnTicketLink(
  ctx: EngineContext,
  link: SignedLink,
  input: { action: 'confirm' | 'reopen'; comment?: string },
  where: AuditActor,
): Promise<TicketLinkView & { event: string }> {
  const view = await viewTicketLink(ctx, link);
  if (!view.mayConfirm)
    throw conflict(
      'ticket-not-resolved',
      `Ticket '${link.subject}' is ${view.ticket.status}: there is nothing to confirm or reopen.`,
    );
  const by = `customer:${link.recipient}`;
  const signalled = await runAsAuditActor(
    () => customerActor(where, link),
    () =>
      ctx.orm.em.fork().transactional(async (em) => {
        await useLink(em, link);
        return input.action === 'confirm'
          ? confirmTicket(ctx, link.subject, by)
          : reopenTicket(ctx, link.subject, { reason: input.comment ?? null, by });
      }),
  );
  return { ...(await viewTicketLink(ctx, link)), event: signalled.event };
}

export async function viewOrderLink(
  ctx: EngineContext,
  link: SignedLink,
): Promise<{ order: CustomerOrderView['order'] }> {
  const view = await new OrderRepository(ctx.orm.em.fork()).customerView(link.subject);
  if (!view || view.customerId !== link.recipient) throw linkNotFound();
  return { order: view.order };
}

function customerActor(where: AuditActor, link: SignedLink): AuditActor {
  return { ...where, actor: `customer:${link.recipient}`, onBehalfOf: null };
}
