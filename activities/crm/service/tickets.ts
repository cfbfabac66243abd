import { ApplicationFailure } from '@temporalio/activity';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  AssignTicketParams,
  LoadedTicket,
  RecordTicketResponseParams,
  ReopenTicketParams,
  ResolveTicketParams,
  TicketAssignment,
  TicketClosed,
  TicketRef,
  TicketReopened,
  TicketRepository,
  TicketResolved,
  TicketResponseRecorded,
  UpdatedTicket,
  UpdateTicketParams,
  type Ticket,
} from '../../../db/crm/tickets';
import { OutOfOfficeRepository } from '../../../db/users/out-of-office.repository';
import { UserRepository } from '../../../db/users/user.repository';
import { raiseProcessEvent } from '../../../db/repositories/process-events';
import { defineActivity } from '../../activity-definition';
import type { ActivityDeps } from '../../deps';
import { resolveMailLocale } from '../../mail-templates/locale';
import { CustomerRepository } from '../../../db/crm/customers';

function unknownTicket(ticketId: string): ApplicationFailure {
  return ApplicationFailure.create({ type: 'ticket.unknown', message: `no ticket ${ticketId}`, nonRetryable: true });
}

const clockOf = (deps: ActivityDeps) => deps.now ?? (() => new Date());

/** Runs `work` on the ticket locked in one transaction: every writer of a ticket takes this lock first. */
function withLockedTicket<T>(
  deps: ActivityDeps,
  ticketId: string,
  work: (ticket: Ticket, tickets: TicketRepository, tx: EntityManager) => Promise<T>,
): Promise<T> {
  return deps.orm.em.fork().transactional(async (tx) => {
    const tickets = new TicketRepository(tx);
    const ticket = await tickets.lock(ticketId);
    if (!ticket) throw unknownTicket(ticketId);
    return work(ticket, tickets, tx);
  });
}

/** Service tickets through their life cycle: read for triage, updated, assigned, answered, resolved, reopened, closed. */
export const ticketActivities = [
  defineActivity({
    name: 'crm.loadTicket',
    contract: {
      description:
        'A ticket with its customer, the e-mail to answer to, the locale and the customer grade (C without a customer).',
      params: TicketRef,
      result: LoadedTicket,
    },
    /** The ticket with what triage and mails need: its customer, whom to write to and in which language. */
    async run({ ticketId }, deps) {
      const em = deps.orm.em.fork();
      const ticket = await new TicketRepository(em).findWithCustomer(ticketId);
      if (!ticket) throw unknownTicket(ticketId);
      // The customer entity types its grade loosely (its text default widens the union).
      const customer = ticket.customer
        ? {
            id: ticket.customer.id,
            name: ticket.customer.name,
            grade: ticket.customer.grade as LoadedTicket['customerGrade'],
            locale: resolveMailLocale(ticket.customer.locale),
          }
        : null;
      return {
        ticket: {
          id: ticket.id,
          subject: ticket.subject,
          body: ticket.body,
          text: `${ticket.subject}\n${ticket.body}`,
          status: ticket.status,
          category: ticket.category,
          priority: ticket.priority,
          assigneeId: ticket.assignee?.id ?? null,
          openedAt: ticket.createdAt.toISOString(),
        },
        customer,
        contactEmail: await new CustomerRepository(em).findEmail(customer?.id ?? null, ticket.contact?.id ?? null),
        locale: customer?.locale ?? 'en',
        customerGrade: customer?.grade ?? 'C',
      };
    },
  }),

  defineActivity({
    name: 'crm.updateTicket',
    contract: {
      description:
        'Write the given ticket fields (category, priority, red alert, queue, SLA deadlines, status); the others keep their values.',
      params: UpdateTicketParams,
      result: UpdatedTicket,
    },
    /** Writes the fields given (triage results, deadlines, a status); the others keep their values. */
    async run({ ticketId, responseDueAt, resolutionDueAt, ...fields }, deps) {
      return withLockedTicket(deps, ticketId, async (ticket, tickets) => {
        await tickets.triage(
          ticket,
          {
            ...definedOnly(fields),
            ...(responseDueAt === undefined ? {} : { responseDueAt: new Date(responseDueAt) }),
            ...(resolutionDueAt === undefined ? {} : { resolutionDueAt: new Date(resolutionDueAt) }),
          },
          clockOf(deps)(),
        );
        return { ticketId, status: ticket.status, priority: ticket.priority, category: ticket.category };
      });
    },
  }),

  defineActivity({
    name: 'crm.assignTicket',
    contract: {
      description:
        'Assign the ticket to the active user with the role (skilled users first, then fewest open tickets); keeps a current assignee who holds the role; null when nobody does.',
      params: AssignTicketParams,
      result: TicketAssignment,
    },
    /**
     * Routes the ticket to a person holding `role`. Idempotent: a current assignee who still holds
     * the role and is not excluded keeps the ticket, so a retry (or a second triage) does not move
     * it. Nobody holding the role gives `assignee: null` and leaves the ticket as it is; the
     * template decides the fallback.
     */
    async run({ ticketId, role, skill, excludeUserIds = [] }, deps) {
      return withLockedTicket(deps, ticketId, async (ticket, tickets, tx) => {
        const query = { ticketId, role, skill, excludeUserIds };
        const currentId = ticket.assignee?.id;
        if (currentId !== undefined) {
          const current = await findBestAssignee(tx, { ...query, onlyUserId: currentId });
          if (current) return { assignee: assigneeOf(current), reason: `kept: ${current.id} already holds ${role}` };
        }
        const chosen = await findBestAssignee(tx, query);
        if (!chosen) return { assignee: null, reason: `nobody active holds ${role}` };
        await tickets.assign(ticket, chosen.id, clockOf(deps)());
        return { assignee: assigneeOf(chosen), reason: reasonFor(chosen, role, skill) };
      });
    },
  }),

  defineActivity({
    name: 'crm.recordTicketResponse',
    contract: {
      description: 'Record the first response (its time is kept) and move the ticket to in-progress.',
      params: RecordTicketResponseParams,
      result: TicketResponseRecorded,
    },
    /** The first response counts for the SLA: its time is kept on every later call. */
    async run({ ticketId }, deps) {
      return withLockedTicket(deps, ticketId, async (ticket, tickets) => {
        await tickets.recordResponse(ticket, clockOf(deps)());
        return { ticketId, respondedAt: ticket.respondedAt!.toISOString() };
      });
    },
  }),

  defineActivity({
    name: 'crm.resolveTicket',
    contract: {
      description: 'Mark the ticket resolved with its resolution text (once; a closed ticket stays closed).',
      params: ResolveTicketParams,
      result: TicketResolved,
    },
    /** Resolves once: a retry keeps the first resolution time; a closed ticket stays closed. */
    async run({ ticketId, resolution }, deps) {
      return withLockedTicket(deps, ticketId, async (ticket, tickets) => {
        const at = clockOf(deps)();
        if (ticket.status === 'resolved' || ticket.status === 'closed') {
          return { ticketId, resolvedAt: (ticket.resolvedAt ?? ticket.closedAt ?? at).toISOString() };
        }
        await tickets.resolve(ticket, resolution, at);
        return { ticketId, resolvedAt: at.toISOString() };
      });
    },
  }),

  defineActivity({
    name: 'crm.reopenTicket',
    contract: {
      description: 'Reopen a resolved or closed ticket.',
      params: ReopenTicketParams,
      result: TicketReopened,
    },
    /** Back to work, e.g. when the customer says the fix did not help; the resolution time is cleared. */
    async run({ ticketId }, deps) {
      return withLockedTicket(deps, ticketId, async (ticket, tickets) => {
        await tickets.reopen(ticket, clockOf(deps)());
        return { ticketId, status: ticket.status };
      });
    },
  }),

  defineActivity({
    name: 'crm.closeTicket',
    contract: {
      description:
        'Close the ticket and, when it has a customer, raise ticket.closed (once per ticket) to start the satisfaction survey.',
      params: TicketRef,
      result: TicketClosed,
    },
    /**
     * Closes the ticket and, when it has a customer, raises ticket.closed (which starts the
     * satisfaction survey) in the same transaction. The event is deduplicated by ticket id, so a
     * retry, or a ticket reopened and closed again, never surveys the customer twice.
     */
    async run({ ticketId }, deps) {
      return withLockedTicket(deps, ticketId, async (ticket, tickets, tx) => {
        const closedAt = await tickets.close(ticket, clockOf(deps)());
        const customerId = ticket.customer?.id ?? null;
        if (customerId !== null) {
          await raiseProcessEvent(
            tx,
            'ticket.closed',
            { ticketId, customerId, triggerRef: `ticket:${ticketId}` },
            {
              dedupeKey: ticketId,
              raisedBy: 'activity:crm.closeTicket',
            },
          );
        }
        return { ticketId, closedAt: closedAt.toISOString(), surveyEventRaised: customerId !== null };
      });
    },
  }),
] as const;

function definedOnly<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

interface AssigneeCandidate {
  id: string;
  name: string;
  email: string;
  locale: string | null;
  skilled: boolean;
  openTickets: number;
}

/**
 * The active holders of a role who may take a ticket (not excluded; only `onlyUserId` when given),
 * skilled first, then the fewest open tickets, then the id, so the same data always gives the same
 * person. The people come from the users, their workload from the tickets.
 */
async function findBestAssignee(
  em: EntityManager,
  query: {
    ticketId: string;
    role: string;
    skill: string | undefined;
    excludeUserIds: readonly string[];
    onlyUserId?: string;
  },
): Promise<AssigneeCandidate | undefined> {
  const roleHolders = await new UserRepository().listActiveWithRoles(em, [query.role]);
  // Someone out of office is not picked for a new ticket.
  const absent = await new OutOfOfficeRepository().absentAt(
    em,
    roleHolders.map((user) => user.id),
    new Date(),
  );
  const holders = roleHolders.filter(
    (user) =>
      !query.excludeUserIds.includes(user.id) &&
      !absent.includes(user.id) &&
      (query.onlyUserId === undefined || user.id === query.onlyUserId),
  );
  const open = await new TicketRepository(em).openCountsByAssignee(
    holders.map((user) => user.id),
    query.ticketId,
  );
  const candidates = holders.map((user): AssigneeCandidate => {
    const { locale, skills } = user.attributes;
    return {
      id: user.id,
      name: user.name,
      email: user.email,
      locale: typeof locale === 'string' ? locale : null,
      skilled: query.skill !== undefined && Array.isArray(skills) && skills.includes(query.skill),
      openTickets: open.get(user.id) ?? 0,
    };
  });
  return candidates.sort(
    (a, b) =>
      Number(b.skilled) - Number(a.skilled) ||
      a.openTickets - b.openTickets ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  )[0];
}

function assigneeOf(candidate: AssigneeCandidate): NonNullable<TicketAssignment['assignee']> {
  return { id: candidate.id, name: candidate.name, email: candidate.email, locale: candidate.locale ?? 'en' };
}

function reasonFor(candidate: AssigneeCandidate, role: string, skill: string | undefined): string {
  const load = `${candidate.openTickets} open ticket${candidate.openTickets === 1 ? '' : 's'}`;
  if (skill === undefined) return `${role} with the fewest open tickets (${load})`;
  return candidate.skilled
    ? `${role} with skill ${skill} and the fewest open tickets (${load})`
    : `no active ${role} has skill ${skill}; fewest open tickets (${load})`;
}
