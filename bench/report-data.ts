import type { EntityManager } from '@mikro-orm/postgresql';

/** Sales reps of the demo company (db/seed/engine-users.ts) who own the generated records. */
const OWNERS = `array['u-rep-east-1', 'u-rep-east-2', 'u-rep-north-1', 'u-rep-south-1']`;
const REGIONS = `array['east', 'north', 'south', 'west']`;
const pick = (list: string, i: string) => `(${list})[1 + (${i}) % cardinality(${list})]`;

/**
 * `n` rows in each report's main table (leads, opportunities, quotes with their approval tasks,
 * orders, tickets, survey responses, open tasks), spread over two years, four regions and four
 * owners, generated in SQL so seeding takes seconds. Deterministic: row i always looks the same.
 */
export async function seedReportData(em: EntityManager, n: number): Promise<void> {
  const customers = Math.max(100, Math.floor(n / 10));
  const at = (i: string) =>
    `timestamptz '2025-01-01' + (${i} % 730) * interval '1 day' + (${i} % 24) * interval '1 hour'`;
  const statements = [
    `insert into customers (id, name, region, owner_id)
       select 'BC-' || i, 'Bench customer ' || i, ${pick(REGIONS, 'i')}, ${pick(OWNERS, 'i')}
         from generate_series(1, ${customers}) i`,
    `insert into products (id, sku, name, product_line, list_price_cents)
       select 'BP-' || i, 'BENCH-' || i, 'Bench product ' || i, 'hardware', 1000 * i from generate_series(1, 50) i`,
    `insert into leads (id, source, company, contact_name, region, status, owner_id, created_at)
       select 'BL-' || i, (array['web', 'fair', 'referral', 'call'])[1 + i % 4], 'Company ' || i, 'Contact ' || i,
              ${pick(REGIONS, 'i / 3')}, (array['new', 'contacted', 'qualified', 'disqualified'])[1 + i % 4],
              ${pick(OWNERS, 'i')}, ${at('i')}
         from generate_series(1, ${n}) i`,
    `insert into opportunities (id, customer_id, lead_id, stage, probability, amount_cents, owner_id, expected_close_date, created_at)
       select 'BO-' || i, 'BC-' || (1 + i % ${customers}), case when i % 2 = 0 then 'BL-' || i end,
              (array['prospecting', 'qualification', 'proposal', 'negotiation', 'won', 'lost'])[1 + i % 6],
              (array[10, 25, 50, 75, 100, 0])[1 + i % 6], 10000 + (i % 97) * 1000, ${pick(OWNERS, 'i')},
              date '2025-01-01' + (i % 900), ${at('i')}
         from generate_series(1, ${n}) i`,
    `insert into quotes (id, customer_id, owner_id, status, created_at)
       select 'BQ-' || i, 'BC-' || (1 + i % ${customers}), ${pick(OWNERS, 'i')}, 'approved', ${at('i')}
         from generate_series(1, ${n}) i`,
    `insert into process_instance (id, template_key, version, business_key, status, started_at, updated_at)
       select 'bench-quote-' || i, 'quote-approval', 1, 'BQ-' || i, 'completed', ${at('i')}, ${at('i')}
         from generate_series(1, ${n}) i`,
    `insert into task (id, instance_id, template_key, step_id, title, candidate_role, outcomes, status, outcome,
                       form_data, completed_by, completed_at, created_at, updated_at)
       select 'bench-decision-' || i, 'bench-quote-' || i, 'quote-approval', 'sequentialApproval', 'Approve',
              (array['sales-manager', 'finance', 'director'])[1 + i % 3], array['approve', 'reject', 'sendBack'],
              'completed', (array['approve', 'approve', 'reject', 'sendBack'])[1 + i % 4],
              jsonb_build_object('reason', (array['price too low', '折扣过高', 'missing terms', ''])[1 + i % 4]),
              'u-sales-manager', ${at('i')} + (i % 50) * interval '1 hour', ${at('i')}, ${at('i')}
         from generate_series(1, ${n}) i`,
    `insert into orders (id, customer_id, status, owner_id, total_cents, created_at)
       select 'BOR-' || i, 'BC-' || (1 + i % ${customers}),
              (array['confirmed', 'partially-shipped', 'shipped', 'delivered', 'cancelled'])[1 + i % 5],
              ${pick(OWNERS, 'i')}, 20000 + (i % 89) * 1000, ${at('i')}
         from generate_series(1, ${n}) i`,
    `insert into order_lines (id, order_id, line_no, product_id, quantity, unit_price_cents, shipped_quantity)
       select 'BOL-' || i || '-' || l, 'BOR-' || i, l, 'BP-' || (1 + (i + l) % 50), 4, 5000,
              case when i % 5 in (2, 3) then 4 when i % 5 = 1 then 2 else 0 end
         from generate_series(1, ${n}) i, generate_series(1, 2) l`,
    `insert into warehouses (id, name) values ('BW-1', 'Bench warehouse')`,
    `insert into shipment_notes (id, order_id, warehouse_id, idempotency_key, lines, status, created_at)
       select 'BSN-' || i || '-' || k, 'BOR-' || i, 'BW-1', 'bench-' || k, '[]', 'shipped',
              ${at('i')} + (i % 72 + k * 24) * interval '1 hour'
         from generate_series(1, ${n}) i, generate_series(1, 2) k
        where i % 5 in (1, 2, 3) and (k = 1 or i % 5 = 1)`,
    `insert into tickets (id, customer_id, subject, category, priority, status, assignee_id, red_alert,
                          response_due_at, resolution_due_at, responded_at, resolved_at, created_at)
       select 'BT-' || i, 'BC-' || (1 + i % ${customers}), 'Ticket ' || i,
              (array['technical', 'sales', 'complaint', 'other'])[1 + i % 4],
              (array['low', 'normal', 'high', 'urgent'])[1 + (i / 4) % 4],
              case when i % 3 = 0 then 'open' else 'resolved' end, 'u-tech-1', i % 50 = 0,
              ${at('i')} + interval '4 hours', ${at('i')} + interval '2 days',
              case when i % 3 <> 0 then ${at('i')} + (i % 7) * interval '1 hour' end,
              case when i % 3 <> 0 then ${at('i')} + (i % 60) * interval '1 hour' end, ${at('i')}
         from generate_series(1, ${n}) i`,
    `insert into process_instance (id, template_key, version, business_key, status, started_at, updated_at)
       select 'bench-ticket-' || i, 'ticket-escalation', 1, 'BT-' || i, 'running', ${at('i')}, ${at('i')}
         from generate_series(1, ${n}) i`,
    // The open tasks of the heatmap: one per ticket, due from two days ago to a week ahead.
    `insert into task (id, instance_id, template_key, step_id, title, candidate_role, outcomes, status,
                       due_at, escalation_level, created_at, updated_at)
       select 'bench-open-' || i, 'bench-ticket-' || i, 'ticket-escalation', (array['respond', 'resolve'])[1 + i % 2],
              'Respond', 'technical-support', array['responded'], 'open',
              now() + ((i % 216) - 48) * interval '1 hour', i % 7 / 5, ${at('i')}, ${at('i')}
         from generate_series(1, ${n}) i`,
    `insert into surveys (id, name, questions) values ('BS-1', 'Bench survey', '[
       {"id": "overall", "text": "How satisfied are you?", "kind": "rating"},
       {"id": "speed", "text": "How fast were we?", "kind": "rating"},
       {"id": "comment", "text": "Anything else?", "kind": "text"}]')`,
    `insert into survey_invitations (id, survey_id, customer_id, email, trigger_ref, status, sent_at)
       select 'BSI-' || i, 'BS-1', 'BC-' || (1 + i % ${customers}), 'c' || i || '@bench.example', 'bench-' || i,
              'responded', ${at('i')}
         from generate_series(1, ${n}) i`,
    `insert into survey_responses (id, invitation_id, answers, score, created_at)
       select 'BSR-' || i, 'BSI-' || i,
              jsonb_build_object('overall', 1 + i % 5, 'speed', 1 + i % 4, 'comment',
                (array['送货速度很快，服务态度很好', 'The delivery was late and support was slow',
                       '价格太贵了，质量一般', 'Great product, friendly support team', '客服回复及时'])[1 + i % 5]),
              ((1 + i % 5) + (1 + i % 4)) / 2.0, ${at('i')} + interval '3 days'
         from generate_series(1, ${n}) i`,
  ];
  for (const sql of statements) await em.execute(sql);
  await em.execute('analyze');
}
