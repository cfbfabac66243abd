import type { EntityManager } from '@mikro-orm/postgresql';

export interface AssigneeCandidate {
  id: string;
  name: string;
  email: string;
  locale: string | null;
  skilled: boolean;
  openTickets: number;
}

export interface AssigneeQuery {
  ticketId: string;
  role: string;
  skill: string | undefined;
  excludeUserIds: readonly string[];
  /** Only this user: is the current assignee still a candidate? */
  onlyUserId?: string;
}

// Open work of a user: tickets assigned to them that are neither resolved nor closed, not
// counting the ticket being assigned (its current assignee must not look busier for holding it).
const CANDIDATES = `
  select u.id, u.name, u.email, u.attributes->>'locale' as locale,
         coalesce(jsonb_typeof(u.attributes->'skills') = 'array' and (u.attributes->'skills') @> jsonb_build_array(?::text), false) as skilled,
         (select count(*) from tickets t
           where t.assignee_id = u.id and t.status not in ('resolved', 'closed') and t.id <> ?)::int as open_tickets
    from engine_user u
   where u.active and ? = any(u.roles)
     and u.id not in (select jsonb_array_elements_text(?::jsonb))`;

/**
 * The active holders of a role who may take a ticket, skilled first, then the fewest open tickets,
 * then the id, so the same data always gives the same person. Raw SQL: a ranking over a JSON
 * attribute and a per-user count reads plainly as one query.
 */
// TODO(merge): belongs to UserRepository (reads engine_user; the open-ticket count may stay a TicketRepository read).
export async function findBestAssignee(em: EntityManager, query: AssigneeQuery): Promise<AssigneeCandidate | undefined> {
  const params: unknown[] = [query.skill ?? null, query.ticketId, query.role, JSON.stringify(query.excludeUserIds)];
  const only = query.onlyUserId === undefined ? '' : ' and u.id = ?';
  if (query.onlyUserId !== undefined) params.push(query.onlyUserId);
  const [row] = await em.execute<{ id: string; name: string; email: string; locale: string | null; skilled: boolean; open_tickets: number }[]>(
    `${CANDIDATES}${only} order by skilled desc, open_tickets, u.id limit 1`, params,
  );
  return row && { id: row.id, name: row.name, email: row.email, locale: row.locale, skilled: row.skilled, openTickets: row.open_tickets };
}
