import type { Orm } from '../db/orm';
import { catchUpInstanceReaders } from '../db/repositories';
import { seedDemoCompany } from '../db/seed/demo-company';
import { DEMO_USERS } from '../db/seed/engine-users';

/** A demo person the list benchmarks act as: the id the rows name, the API key to send (x-api-key). */
export interface BulkUser {
  id: string;
  apiKey: string;
}

export interface BulkSeed {
  rowsPerTable: number;
  /** Sees every record and every task (admin role). */
  admin: BulkUser;
  /** A sales manager (u-mgr-east): a team's CRM records, and an inbox of assigned, named and role tasks. */
  salesManager: BulkUser;
  /** A sales rep (u-rep-east-1): own records only. */
  salesRep: BulkUser;
  /** A technical-support agent (u-tech-1): tickets and the technical-support queue. */
  technician: BulkUser;
  /** The customer every generated quote, order, ticket and invitation of row i % customers names. */
  customerIds: { first: string; last: string };
}

function demoUser(id: string): BulkUser {
  const user = DEMO_USERS.find((candidate) => candidate.id === id);
  if (!user) throw new Error(`${id} is not a demo user (db/seed/engine-users.ts)`);
  return { id: user.id, apiKey: user.apiKey };
}

// Owners of the CRM records, weighted as a sales team is: the east team holds most of them.
const OWNERS = `array['u-rep-east-1', 'u-rep-east-1', 'u-rep-east-2', 'u-rep-north-1', 'u-rep-south-1', 'u-mgr-east', 'u-mgr-north', 'u-mgr-south']`;
const REGIONS = `array['east', 'east', 'north', 'south']`;
// People tasks are assigned to or named as candidates, and the roles tasks are offered to.
const PEOPLE = `array['u-rep-east-1', 'u-rep-east-2', 'u-rep-north-1', 'u-rep-south-1', 'u-mgr-east', 'u-mgr-north', 'u-mgr-south', 'u-finance', 'u-sales-manager', 'u-tech-1', 'u-tech-2', 'u-cr-agent', 'u-warehouse', 'u-director']`;
const ROLES = `array['sales-rep', 'sales-manager', 'finance', 'technical-support', 'customer-relations', 'warehouse', 'director', 'service-desk']`;
const pick = (list: string, i: string) => `(${list})[1 + (${i}) % cardinality(${list})]`;
// Spread over the past year, newest last, with distinct times (no ties to break but by id).
const at = (i: string, n: number) => `now() - interval '365 days' + (${i}) * (interval '365 days' / ${n})`;

/**
 * `rowsPerTable` rows (default 100 000) in each table a list endpoint pages (task, process_instance,
 * leads, customers, quotes, orders, tickets, survey_invitations, audit_log), on top of the demo
 * company, in set-based SQL so it takes seconds: a realistic mix of owners, assignees, named and
 * role candidates, 80 % of every table closed/completed, created over the past year. Row i is
 * always alike (deterministic), ids are prefixed `BK-` so they cannot meet a real record's.
 * Needs a migrated database and the demo users (seedEngineUsers, with the server secret the API
 * will hash their keys with); loads the demo company itself when the CRM is empty, and gives the
 * invitations a survey of their own; one running instance in seven has an incident. Ends with
 * VACUUM ANALYZE, as a
 * database in use has statistics and a visibility map.
 */
export async function seedBulkRows(orm: Orm, options: { rowsPerTable?: number } = {}): Promise<BulkSeed> {
  const n = options.rowsPerTable ?? 100_000;
  // The rows' times are spread over a year by `interval / n`: no rows would divide by zero in SQL.
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`seedBulkRows: rowsPerTable must be a whole number ≥ 1, not ${n}`);
  const customers = n;
  const em = orm.em.fork();
  // 80 % closed, drawn by a hash of i so that it does not follow the i % 10 mix of owners and roles.
  const closed = (i: string) => `hashint4(${i}) % 5 <> 0`;
  await seedDemoCompany(orm.em.fork());
  const statements = [
    `insert into surveys (id, name, questions) values ('BK-SV-1', 'Bulk survey',
       '[{"id": "overall", "text": "How satisfied are you?", "kind": "rating"}]') on conflict (id) do nothing`,
    `insert into customers (id, name, grade, region, industry, source, owner_id, created_at)
       select 'BK-C-' || i, 'Bulk customer ' || i, (array['VIP', 'A', 'B', 'C', 'C'])[1 + i % 5], ${pick(REGIONS, 'i')},
              (array['manufacturing', 'retail', 'wholesale', 'electronics'])[1 + i % 4], 'bulk', ${pick(OWNERS, 'i')},
              ${at('i', n)}
         from generate_series(1, ${customers}) i`,
    `insert into leads (id, source, company, contact_name, email, region, product_interest, estimated_value_cents,
                        status, owner_id, created_at)
       select 'BK-L-' || i, (array['web', 'fair', 'referral', 'call'])[1 + i % 4], 'Bulk company ' || i,
              'Contact ' || i, 'lead' || i || '@bulk.example', ${pick(REGIONS, 'i / 7')},
              (array['erp', 'crm', 'hardware'])[1 + i % 3], 10000 * (1 + i % 500),
              case when ${closed('i')} then (array['qualified', 'disqualified'])[1 + i % 2]
                   else (array['new', 'contacted'])[1 + i % 2] end,
              ${pick(OWNERS, 'i')}, ${at('i', n)}
         from generate_series(1, ${n}) i`,
    `insert into quotes (id, customer_id, owner_id, status, created_at)
       select 'BK-Q-' || i, 'BK-C-' || (1 + i % ${customers}), ${pick(OWNERS, 'i')},
              case when ${closed('i')} then (array['approved', 'rejected', 'accepted'])[1 + i % 3]
                   else (array['draft', 'submitted', 'changes-requested'])[1 + i % 3] end, ${at('i', n)}
         from generate_series(1, ${n}) i`,
    `insert into quote_versions (id, quote_id, version, list_total_cents, total_cents, created_at)
       select 'BK-Q-' || i || '-v1', 'BK-Q-' || i, 1, 100000 + (i % 97) * 1000, 95000 + (i % 97) * 1000, ${at('i', n)}
         from generate_series(1, ${n}) i`,
    `insert into orders (id, customer_id, status, owner_id, total_cents, created_at)
       select 'BK-O-' || i, 'BK-C-' || (1 + i % ${customers}),
              case when ${closed('i')} then (array['shipped', 'delivered', 'cancelled', 'delivered'])[1 + i % 4]
                   else (array['confirmed', 'awaiting-stock', 'partially-shipped'])[1 + i % 3] end,
              ${pick(OWNERS, 'i')}, 20000 + (i % 89) * 1000, ${at('i', n)}
         from generate_series(1, ${n}) i`,
    `insert into tickets (id, customer_id, subject, category, priority, status, queue, assignee_id,
                          response_due_at, resolution_due_at, created_at, updated_at)
       select 'BK-T-' || i, 'BK-C-' || (1 + i % ${customers}), 'Ticket ' || i,
              (array['technical', 'sales', 'complaint', 'other'])[1 + i % 4],
              (array['low', 'normal', 'high', 'urgent'])[1 + i / 4 % 4],
              case when ${closed('i')} then (array['resolved', 'closed'])[1 + i % 2]
                   else (array['open', 'acknowledged', 'in-progress', 'reopened'])[1 + i % 4] end,
              (array['technical', 'service-desk'])[1 + i % 2],
              case when i % 7 <> 0 then (array['u-tech-1', 'u-tech-2', 'u-service-desk', 'u-cr-agent'])[1 + i % 4] end,
              ${at('i', n)} + interval '4 hours', ${at('i', n)} + interval '2 days', ${at('i', n)}, ${at('i', n)}
         from generate_series(1, ${n}) i`,
    `insert into survey_invitations (id, survey_id, customer_id, email, trigger_ref, status, sent_at, expires_at)
       select 'BK-SI-' || i, 'BK-SV-1', 'BK-C-' || (1 + i % ${customers}), 'c' || i || '@bulk.example',
              'bulk-' || i, case when ${closed('i')} then (array['responded', 'expired'])[1 + i % 2]
                                 else (array['sent', 'reminded'])[1 + i % 2] end,
              ${at('i', n)}, ${at('i', n)} + interval '30 days'
         from generate_series(1, ${n}) i`,
    `insert into process_instance (id, template_key, version, business_key, status, started_at, ended_at, updated_at)
       select 'BK-PI-' || i, (array['lead-assignment', 'quote-approval', 'ticket-escalation', 'order-fulfilment'])[1 + i % 4],
              -- Each keyed by the record of its template's kind (the lead, the quote, the ticket, the order).
              1, (array['BK-L-', 'BK-Q-', 'BK-T-', 'BK-O-'])[1 + i % 4] || i,
              case when ${closed('i')} then (array['completed', 'completed', 'completed', 'failed', 'cancelled'])[1 + i % 5]
                   else 'running' end,
              ${at('i', n)}, case when ${closed('i')} then ${at('i', n)} + interval '1 day' end, ${at('i', n)}
         from generate_series(1, ${n}) i`,
    // One running instance in seven has an activity that keeps failing (an incident).
    `insert into process_incident (instance_id, activity_id, activity_type, attempt, message, first_failed_at, last_failed_at)
       select 'BK-PI-' || i, '7', 'sendMail', 3 + i % 20, 'SMTP connection refused', ${at('i', n)}, ${at('i', n)} + interval '1 hour'
         from generate_series(1, ${n}) i where not (${closed('i')}) and i % 7 = 0`,
    // How an open task reaches an inbox, by i % 10: assigned (4), named candidates (2), a role (3),
    // a role with an attribute filter (1). A closed task was completed by its assignee or a candidate.
    `insert into task (id, instance_id, template_key, step_id, title, assignee, candidate_role, candidate_users,
                       candidate_where, outcomes, priority, due_at, status, outcome, completed_by, completed_at,
                       opened_assignee, created_at, updated_at)
       select 'BK-TK-' || i, 'BK-PI-' || i, (array['lead-assignment', 'quote-approval', 'ticket-escalation', 'order-fulfilment'])[1 + i % 4],
              (array['review', 'approve', 'respond', 'ship'])[1 + i % 4], 'Bulk task ' || i,
              case when i % 10 < 4 then ${pick(PEOPLE, 'i / 10')} end,
              case when i % 10 >= 6 then ${pick(ROLES, 'i / 10')} end,
              case when i % 10 in (4, 5) then array[${pick(PEOPLE, 'i / 10')}, ${pick(PEOPLE, 'i / 10 + 3')}]
                   else '{}'::text[] end,
              case when i % 10 = 9 then jsonb_build_object('region', ${pick(REGIONS, 'i / 10')}) else '{}'::jsonb end,
              array['done', 'rejected'], (array['low', 'normal', 'normal', 'high', 'urgent'])[1 + i / 3 % 5],
              case when i % 3 <> 0 then ${at('i', n)} + (i % 14) * interval '1 day' end,
              case when ${closed('i')} then (array['completed', 'completed', 'completed', 'cancelled'])[1 + i % 4] else 'open' end,
              case when ${closed('i')} and i % 4 <> 3 then 'done' end,
              case when ${closed('i')} and i % 4 <> 3 then ${pick(PEOPLE, 'i / 10')} end,
              case when ${closed('i')} then ${at('i', n)} + interval '1 day' end,
              case when i % 10 < 4 then ${pick(PEOPLE, 'i / 10')} end,
              ${at('i', n)}, ${at('i', n)}
         from generate_series(1, ${n}) i`,
  ];
  await em.transactional(async (tx) => {
    for (const sql of statements) await tx.execute(sql);
  });
  // The audit trail's chain is extended row by row by its trigger at commit: batches keep each
  // transaction's pending trigger queue small.
  const batch = 20_000;
  for (let from = 1; from <= n; from += batch) {
    const to = Math.min(n, from + batch - 1);
    await em.execute(
      `insert into audit_log (id, occurred_at, actor, action, subject, detail)
         select gen_random_uuid(), ${at('i', n)}, ${pick(PEOPLE, 'i')},
                (array['Lead.create', 'Quote.update', 'Order.create', 'Ticket.update', 'Task.complete'])[1 + i % 5],
                (array['crm:lead:BK-L-', 'crm:quote:BK-Q-', 'crm:order:BK-O-', 'crm:ticket:BK-T-', 'task:BK-TK-'])[1 + i % 5] || i,
                jsonb_build_object('bulk', i)
           from generate_series(${from}, ${to}) i`,
    );
  }
  await em.execute('vacuum analyze');
  // Who reaches each instance (instance_reader), from what the statements above noted, as the
  // first caller's list would otherwise; after the statistics, which its plan needs (without them:
  // 57 s instead of 1 s at 20 000 rows per table).
  await catchUpInstanceReaders(em);
  await em.execute('vacuum analyze instance_reader, instance_reader_change');
  return {
    rowsPerTable: n,
    admin: demoUser('u-admin'),
    salesManager: demoUser('u-mgr-east'),
    salesRep: demoUser('u-rep-east-1'),
    technician: demoUser('u-tech-1'),
    customerIds: { first: 'BK-C-1', last: `BK-C-${customers}` },
  };
}
