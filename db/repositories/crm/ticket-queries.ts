import type { EntityManager } from '@mikro-orm/postgresql';
import type { Page } from '../page-cursor';
import { queryRowPage, Where, type Row } from './row-page';
import { iso, one, str } from './row-values';

export function toTicket(row: Row) {
  return {
    id: String(row['id']), customerId: str(row['customer_id']), contactId: str(row['contact_id']), subject: String(row['subject']),
    body: String(row['body']), category: String(row['category']), priority: String(row['priority']), status: String(row['status']),
    queue: str(row['queue']), assigneeId: str(row['assignee_id']), redAlert: Boolean(row['red_alert']),
    responseDueAt: iso(row['response_due_at']), resolutionDueAt: iso(row['resolution_due_at']), respondedAt: iso(row['responded_at']),
    resolvedAt: iso(row['resolved_at']), closedAt: iso(row['closed_at']), resolution: str(row['resolution']),
    createdAt: iso(row['created_at']), updatedAt: iso(row['updated_at']),
  };
}

export interface TicketFilters { status?: string; customerId?: string; assigneeId?: string; category?: string; priority?: string; cursor?: string; limit?: number }

export function listTickets(em: EntityManager, f: TicketFilters): Promise<Page<Row>> {
  const where = new Where().maybe(f.status, 't.status = ?').maybe(f.customerId, 't.customer_id = ?').maybe(f.assigneeId, 't.assignee_id = ?')
    .maybe(f.category, 't.category = ?').maybe(f.priority, 't.priority = ?');
  return queryRowPage(em, { from: 'tickets', where, cursor: f.cursor, limit: f.limit });
}

export function getTicket(em: EntityManager, id: string): Promise<Row | null> {
  return one(em.execute<Row[]>('select * from tickets where id = ?', [id]));
}

/** The contact with this e-mail (any case) or phone, within the customer when one is given. */
export function findContact(em: EntityManager, by: { customerId?: string; email?: string; phone?: string }): Promise<Row | null> {
  if (!by.email && !by.phone) return Promise.resolve(null);
  return one(em.execute<Row[]>(
    `select * from contacts where (?::text is null or customer_id = ?::text)
       and ((?::text is not null and lower(email) = lower(?::text)) or (?::text is not null and phone = ?::text))
     order by is_primary desc, created_at limit 1`,
    [by.customerId ?? null, by.customerId ?? null, by.email ?? null, by.email ?? null, by.phone ?? null, by.phone ?? null],
  ));
}

export async function insertTicket(em: EntityManager, id: string, t: {
  customerId: string | null; contactId: string | null; subject: string; body: string; category?: string; priority?: string;
}): Promise<Row> {
  const rows = await em.execute<Row[]>(
    `insert into tickets (id, customer_id, contact_id, subject, body, category, priority) values (?, ?, ?, ?, ?, ?, ?) returning *`,
    [id, t.customerId, t.contactId, t.subject, t.body, t.category ?? 'other', t.priority ?? 'normal'],
  );
  return rows[0]!;
}
