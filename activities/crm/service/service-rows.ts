import { ApplicationFailure } from '@temporalio/activity';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { TicketCategory } from '../rules/classify-ticket';
import type { TicketPriorityLevel } from '../rules/ticket-priority';
import { resolveMailLocale } from '../../mail-templates/locale';
import type { Locale, TicketStatus } from './ticket-schemas';

/*
 * Row access shared by the service activities. Raw SQL: each activity touches a few columns of
 * two or three tables, and the lock, the join and the fallback order read plainly as SQL.
 */

export interface TicketRow {
  id: string;
  customer_id: string | null;
  status: TicketStatus;
  category: TicketCategory;
  priority: TicketPriorityLevel;
  assignee_id: string | null;
  responded_at: Date | string | null;
  resolved_at: Date | string | null;
  closed_at: Date | string | null;
}

const TICKET_COLUMNS = 'id, customer_id, status, category, priority, assignee_id, responded_at, resolved_at, closed_at';

export function unknownTicket(ticketId: string): ApplicationFailure {
  return ApplicationFailure.create({ type: 'ticket.unknown', message: `no ticket ${ticketId}`, nonRetryable: true });
}

/** The ticket, locked for this transaction: every writer of a ticket takes this lock first. */
export async function lockTicket(tx: EntityManager, ticketId: string): Promise<TicketRow> {
  const rows = await tx.execute<TicketRow[]>(`select ${TICKET_COLUMNS} from tickets where id = ? for update`, [ticketId]);
  if (!rows[0]) throw unknownTicket(ticketId);
  return rows[0];
}

/** Raw `em.execute` rows carry timestamptz as PostgreSQL text (`2025-03-01 09:00:00+00`), which Date parses. */
export function isoOf(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/** The locale mails to this person are written in: the mail templates' own choice (zh… → zh-CN, else en). */
export function localeOf(value: string | null | undefined): Locale {
  return resolveMailLocale(value ?? undefined);
}
