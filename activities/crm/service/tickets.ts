import type { EntityManager } from '@mikro-orm/postgresql';
import { raiseProcessEvent } from '../../../db/repositories/process-events';
import type { ActivityDeps } from '../../deps';
import type { CustomerGrade } from '../rules/ticket-priority';
import { CustomerRepository } from '../../../db/crm/customers';
import { isoOf, localeOf, lockTicket, unknownTicket, type TicketRow } from './service-rows';
import type {
  LoadedTicket, RecordTicketResponseParams, ReopenTicketParams, ResolveTicketParams, TicketClosed, TicketRef,
  TicketReopened, TicketResolved, TicketResponseRecorded, UpdatedTicket, UpdateTicketParams,
} from './ticket-schemas';

interface LoadedTicketRow extends TicketRow {
  subject: string;
  body: string;
  contact_id: string | null;
  created_at: Date | string;
  customer_name: string | null;
  customer_grade: CustomerGrade | null;
  customer_locale: string | null;
}

/** Which column each optional field of crm.updateTicket writes. */
const UPDATABLE_COLUMNS = {
  category: 'category', priority: 'priority', redAlert: 'red_alert', queue: 'queue',
  responseDueAt: 'response_due_at', resolutionDueAt: 'resolution_due_at', status: 'status',
} as const satisfies Record<Exclude<keyof UpdateTicketParams, 'ticketId'>, string>;

// Statuses a first response moves on to in-progress; a resolved or closed ticket stays as it is.
const AWAITING_WORK = `('open', 'acknowledged', 'reopened')`;

/** Reading, updating and the life cycle of service tickets; assignment is in ticket-assignment.ts. */
export function createTicketActivities(deps: ActivityDeps) {
  const now = () => (deps.now ?? (() => new Date()))().toISOString();
  const write = <T>(work: (tx: EntityManager) => Promise<T>) => deps.orm.em.fork().transactional(work);

  return {
    /** The ticket with what triage and mails need: its customer, whom to write to and in which language. */
    async 'crm.loadTicket'({ ticketId }: TicketRef): Promise<LoadedTicket> {
      const em = deps.orm.em.fork();
      const [row] = await em.execute<LoadedTicketRow[]>(
        `select t.*, c.name as customer_name, c.grade as customer_grade, c.locale as customer_locale
           from tickets t left join customers c on c.id = t.customer_id where t.id = ?`,
        [ticketId],
      );
      if (!row) throw unknownTicket(ticketId);
      const customer = row.customer_id && row.customer_name !== null
        ? { id: row.customer_id, name: row.customer_name, grade: row.customer_grade ?? 'C', locale: localeOf(row.customer_locale) }
        : null;
      return {
        ticket: {
          id: row.id, subject: row.subject, body: row.body, text: `${row.subject}\n${row.body}`,
          status: row.status, category: row.category, priority: row.priority, assigneeId: row.assignee_id,
          openedAt: isoOf(row.created_at),
        },
        customer,
        contactEmail: await new CustomerRepository(em).findEmail(customer?.id ?? null, row.contact_id),
        locale: customer?.locale ?? 'en',
        customerGrade: customer?.grade ?? 'C',
      };
    },

    /** Writes the fields given (triage results, deadlines, a status); the others keep their values. */
    async 'crm.updateTicket'({ ticketId, ...fields }: UpdateTicketParams): Promise<UpdatedTicket> {
      const assignments: string[] = [];
      const values: unknown[] = [];
      for (const [field, column] of Object.entries(UPDATABLE_COLUMNS)) {
        const value = fields[field as keyof typeof UPDATABLE_COLUMNS];
        if (value === undefined) continue;
        assignments.push(column.endsWith('_at') ? `${column} = ?::timestamptz` : `${column} = ?`);
        values.push(value);
      }
      const [row] = await deps.orm.em.fork().execute<TicketRow[]>(
        `update tickets set ${[...assignments, 'updated_at = ?'].join(', ')} where id = ? returning status, priority, category`,
        [...values, now(), ticketId],
      );
      if (!row) throw unknownTicket(ticketId);
      return { ticketId, status: row.status, priority: row.priority, category: row.category };
    },

    /** The first response counts for the SLA: its time is kept on every later call. */
    async 'crm.recordTicketResponse'({ ticketId }: RecordTicketResponseParams): Promise<TicketResponseRecorded> {
      const [row] = await deps.orm.em.fork().execute<TicketRow[]>(
        `update tickets set responded_at = coalesce(responded_at, ?::timestamptz),
           status = case when status in ${AWAITING_WORK} then 'in-progress' else status end, updated_at = ?
         where id = ? returning responded_at`,
        [now(), now(), ticketId],
      );
      if (!row) throw unknownTicket(ticketId);
      return { ticketId, respondedAt: isoOf(row.responded_at!) };
    },

    /** Resolves once: a retry keeps the first resolution time; a closed ticket stays closed. */
    async 'crm.resolveTicket'({ ticketId, resolution }: ResolveTicketParams): Promise<TicketResolved> {
      return write(async (tx) => {
        const ticket = await lockTicket(tx, ticketId);
        if (ticket.status === 'resolved' || ticket.status === 'closed') {
          return { ticketId, resolvedAt: isoOf(ticket.resolved_at ?? ticket.closed_at ?? now()) };
        }
        const at = now();
        await tx.execute(
          `update tickets set status = 'resolved', resolved_at = ?::timestamptz, resolution = ?, updated_at = ? where id = ?`,
          [at, resolution, at, ticketId],
        );
        return { ticketId, resolvedAt: at };
      });
    },

    /** Back to work, e.g. when the customer says the fix did not help; the resolution time is cleared. */
    async 'crm.reopenTicket'({ ticketId }: ReopenTicketParams): Promise<TicketReopened> {
      const [row] = await deps.orm.em.fork().execute<TicketRow[]>(
        `update tickets set status = 'reopened', resolved_at = null, closed_at = null, updated_at = ? where id = ? returning status`,
        [now(), ticketId],
      );
      if (!row) throw unknownTicket(ticketId);
      return { ticketId, status: row.status };
    },

    /**
     * Closes the ticket and, when it has a customer, raises ticket.closed (which starts the
     * satisfaction survey) in the same transaction. The event is deduplicated by ticket id, so a
     * retry, or a ticket reopened and closed again, never surveys the customer twice.
     */
    async 'crm.closeTicket'({ ticketId }: TicketRef): Promise<TicketClosed> {
      return write(async (tx) => {
        const ticket = await lockTicket(tx, ticketId);
        let closedAt = ticket.closed_at === null ? null : isoOf(ticket.closed_at);
        if (ticket.status !== 'closed' || closedAt === null) {
          closedAt = closedAt ?? now();
          await tx.execute(
            `update tickets set status = 'closed', closed_at = ?::timestamptz, updated_at = ? where id = ?`,
            [closedAt, now(), ticketId],
          );
        }
        if (ticket.customer_id !== null) {
          await raiseProcessEvent(tx, 'ticket.closed', { ticketId, customerId: ticket.customer_id, triggerRef: `ticket:${ticketId}` }, {
            dedupeKey: ticketId, raisedBy: 'activity:crm.closeTicket',
          });
        }
        return { ticketId, closedAt, surveyEventRaised: ticket.customer_id !== null };
      });
    },
  };
}
