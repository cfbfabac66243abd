import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActivityDeps } from '../../deps';
import { lockTicket } from './service-rows';
import type { AssignTicketParams, TicketAssignment } from './ticket-schemas';

interface CandidateRow {
  id: string;
  name: string;
  email: string;
  locale: string | null;
  skilled: boolean;
  open_tickets: number;
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
 * Routes a ticket to a person holding `role`: users with the wanted skill first (when any exist),
 * then the fewest open tickets, then the id, so the same data always gives the same person.
 */
export function createTicketAssignmentActivities(deps: ActivityDeps) {
  const now = deps.now ?? (() => new Date());
  return {
    /**
     * Idempotent: a current assignee who still holds the role and is not excluded keeps the
     * ticket, so a retry (or a second triage) does not move it. Nobody holding the role gives
     * `assignee: null` and leaves the ticket as it is; the template decides the fallback.
     */
    async 'crm.assignTicket'({ ticketId, role, skill, excludeUserIds = [] }: AssignTicketParams): Promise<TicketAssignment> {
      return deps.orm.em.fork().transactional(async (tx) => {
        const ticket = await lockTicket(tx, ticketId);
        const base = [skill ?? null, ticketId, role, JSON.stringify(excludeUserIds)];
        if (ticket.assignee_id !== null) {
          const [current] = await tx.execute<CandidateRow[]>(`${CANDIDATES} and u.id = ?`, [...base, ticket.assignee_id]);
          if (current) return { assignee: assigneeOf(current), reason: `kept: ${current.id} already holds ${role}` };
        }
        const [chosen] = await tx.execute<CandidateRow[]>(`${CANDIDATES} order by skilled desc, open_tickets, u.id limit 1`, base);
        if (!chosen) return { assignee: null, reason: `nobody active holds ${role}` };
        await assign(tx, ticketId, chosen.id, now());
        return { assignee: assigneeOf(chosen), reason: reasonFor(chosen, role, skill) };
      });
    },
  };
}

async function assign(tx: EntityManager, ticketId: string, userId: string, at: Date): Promise<void> {
  await tx.execute('update tickets set assignee_id = ?, updated_at = ? where id = ?', [userId, at.toISOString(), ticketId]);
}

function assigneeOf(row: CandidateRow): NonNullable<TicketAssignment['assignee']> {
  return { id: row.id, name: row.name, email: row.email, locale: row.locale ?? 'en' };
}

function reasonFor(row: CandidateRow, role: string, skill: string | undefined): string {
  const load = `${row.open_tickets} open ticket${row.open_tickets === 1 ? '' : 's'}`;
  if (skill === undefined) return `${role} with the fewest open tickets (${load})`;
  return row.skilled
    ? `${role} with skill ${skill} and the fewest open tickets (${load})`
    : `no active ${role} has skill ${skill}; fewest open tickets (${load})`;
}
