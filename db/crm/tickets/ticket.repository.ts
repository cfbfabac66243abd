import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { EngineUser } from '../../users/user.entity';
import { queryKeysetPage } from '../../repositories/keyset-page';
import type { Page } from '../../repositories/page-cursor';
import { newCrmId } from '../crm-id';
import { Ticket } from './ticket.entity';
import type { TicketCategory, TicketPriority, TicketRecord, TicketStatus } from './ticket.schema';
import { recordChange } from '../../repositories/audit-log';

export interface NewTicket {
  customerId: string | null;
  contactId: string | null;
  subject: string;
  body: string;
  category?: TicketCategory | undefined;
  priority?: TicketPriority | undefined;
  status?: TicketStatus;
}

export interface TicketFilters {
  status?: string;
  customerId?: string;
  assigneeId?: string;
  category?: string;
  priority?: string;
  cursor?: string;
  limit?: number;
}

/** What triage writes; a field left out keeps its value. */
export type TicketTriage = Partial<
  Pick<Ticket, 'category' | 'priority' | 'redAlert' | 'queue' | 'responseDueAt' | 'resolutionDueAt' | 'status'>
>;

// A first response moves these on to in-progress; a resolved or closed ticket stays as it is.
const AWAITING_WORK: readonly TicketStatus[] = ['open', 'acknowledged', 'reopened'];

/**
 * The only reader and writer of `tickets`. Made per unit of work on the caller's EntityManager;
 * the state changes work on a ticket from `lock`, so every writer holds the row lock first.
 */
export class TicketRepository {
  constructor(private readonly em: EntityManager) {}

  find(id: string): Promise<Ticket | null> {
    return this.em.findOne(Ticket, id);
  }

  /** The ticket with its customer loaded (name, grade, locale). */
  findWithCustomer(id: string): Promise<Ticket | null> {
    return this.em.findOne(Ticket, id, { populate: ['customer'] });
  }

  /** The ticket locked for this transaction; null when there is none. */
  lock(id: string): Promise<Ticket | null> {
    return this.em.findOne(Ticket, id, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  }

  /** Newest first, with the engine's keyset cursors. */
  list(filters: TicketFilters): Promise<Page<Ticket>> {
    const equals = {
      status: filters.status,
      customer_id: filters.customerId,
      assignee_id: filters.assigneeId,
      category: filters.category,
      priority: filters.priority,
    };
    return queryKeysetPage(this.em, {
      entity: Ticket,
      table: 'tickets',
      orderColumn: 'created_at',
      equals,
      cursor: filters.cursor,
      limit: filters.limit,
    });
  }

  /** The newest tickets with their customer (grade), for a backtest of a draft ticket rule. */
  newest(limit: number): Promise<Ticket[]> {
    return this.em.find(Ticket, {}, { populate: ['customer'], orderBy: { createdAt: 'desc', id: 'desc' }, limit });
  }

  /** A new ticket with a fresh `T-…` id. */
  async create(fields: NewTicket): Promise<Ticket> {
    const ticket = this.em.create(Ticket, {
      id: newCrmId('T'),
      customer: fields.customerId,
      contact: fields.contactId,
      subject: fields.subject,
      body: fields.body,
      category: fields.category,
      priority: fields.priority,
      status: fields.status,
    });
    await this.em.flush();
    return ticket;
  }

  /**
   * A ticket whose id the caller derived from what it is about, created the first time only:
   * false when it exists already. One statement, so two racing retries cannot both create it.
   */
  async createOnce(id: string, fields: NewTicket, at: Date): Promise<boolean> {
    const result = await this.em
      .createQueryBuilder(Ticket)
      .insert({
        id,
        customer: fields.customerId,
        contact: fields.contactId,
        subject: fields.subject,
        body: fields.body,
        category: fields.category ?? 'other',
        priority: fields.priority ?? 'normal',
        status: fields.status ?? 'open',
        createdAt: at,
        updatedAt: at,
      })
      .onConflict('id')
      .ignore()
      .execute('run');
    if (result.affectedRows === 1)
      await recordChange(this.em, { action: 'Ticket.create', subject: `tickets:${id}`, after: { ...fields } });
    return result.affectedRows === 1;
  }

  async triage(ticket: Ticket, fields: TicketTriage, at: Date): Promise<void> {
    this.em.assign(ticket, { ...fields, updatedAt: at });
    await this.em.flush();
  }

  /** The first response counts for the SLA: a later one keeps its time. */
  async recordResponse(ticket: Ticket, at: Date): Promise<void> {
    ticket.respondedAt ??= at;
    if (AWAITING_WORK.includes(ticket.status)) ticket.status = 'in-progress';
    ticket.updatedAt = at;
    await this.em.flush();
  }

  async resolve(ticket: Ticket, resolution: string, at: Date): Promise<void> {
    this.em.assign(ticket, { status: 'resolved', resolvedAt: at, resolution, updatedAt: at });
    await this.em.flush();
  }

  /** Back to work; the resolution and closing times are cleared. */
  async reopen(ticket: Ticket, at: Date): Promise<void> {
    this.em.assign(ticket, { status: 'reopened', resolvedAt: null, closedAt: null, updatedAt: at });
    await this.em.flush();
  }

  /** Closed, keeping the first closing time of a ticket that is closed already. */
  async close(ticket: Ticket, at: Date): Promise<Date> {
    const closedAt = ticket.closedAt ?? at;
    if (ticket.status !== 'closed' || ticket.closedAt === null || ticket.closedAt === undefined) {
      this.em.assign(ticket, { status: 'closed', closedAt, updatedAt: at });
      await this.em.flush();
    }
    return closedAt;
  }

  async assign(ticket: Ticket, userId: string, at: Date): Promise<void> {
    this.em.assign(ticket, { assignee: this.em.getReference(EngineUser, userId), updatedAt: at });
    await this.em.flush();
  }

  /**
   * Open work per assignee among `userIds`: their tickets that are neither resolved nor closed, not
   * counting `exceptTicketId` (its current assignee must not look busier for holding it). Raw SQL:
   * a grouped count, never loading the tickets.
   */
  async openCountsByAssignee(userIds: readonly string[], exceptTicketId: string): Promise<Map<string, number>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.em.execute<{ assignee_id: string; open: number }[]>(
      `select assignee_id, count(*)::int as open from tickets
        where assignee_id in (?) and status not in ('resolved', 'closed') and id <> ? group by assignee_id`,
      [[...userIds], exceptTicketId],
    );
    return new Map(rows.map((row) => [row.assignee_id, Number(row.open)]));
  }

  toRecord(ticket: Ticket): TicketRecord {
    return {
      id: ticket.id,
      customerId: ticket.customer?.id ?? null,
      contactId: ticket.contact?.id ?? null,
      subject: ticket.subject,
      body: ticket.body,
      category: ticket.category,
      priority: ticket.priority,
      status: ticket.status,
      queue: ticket.queue ?? null,
      assigneeId: ticket.assignee?.id ?? null,
      redAlert: ticket.redAlert,
      responseDueAt: isoOrNull(ticket.responseDueAt),
      resolutionDueAt: isoOrNull(ticket.resolutionDueAt),
      respondedAt: isoOrNull(ticket.respondedAt),
      resolvedAt: isoOrNull(ticket.resolvedAt),
      closedAt: isoOrNull(ticket.closedAt),
      resolution: ticket.resolution ?? null,
      createdAt: ticket.createdAt.toISOString(),
      updatedAt: ticket.updatedAt.toISOString(),
    };
  }
}

function isoOrNull(at: Date | null | undefined): string | null {
  return at ? at.toISOString() : null;
}
