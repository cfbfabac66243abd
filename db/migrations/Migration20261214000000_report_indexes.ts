import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes for the reports (db/reports): each report reads one period of its main table, often of
 * a few owners (a rep's or a team's numbers), and a few join the process projections (approval
 * decisions, escalated tasks, open tasks by step). Measured by `npm run bench:reports`.
 */
const INDEXES: readonly [name: string, definition: string][] = [
  ['opportunities_created_index', `"opportunities" ("created_at")`],
  ['opportunities_owner_created_index', `"opportunities" ("owner_id", "created_at")`],
  [
    'opportunities_open_close_date_index',
    `"opportunities" ("expected_close_date") where "stage" not in ('won', 'lost') and "expected_close_date" is not null`,
  ],
  ['opportunities_won_lead_index', `"opportunities" ("lead_id") where "stage" = 'won' and "lead_id" is not null`],
  ['leads_created_index', `"leads" ("created_at")`],
  ['leads_owner_created_index', `"leads" ("owner_id", "created_at")`],
  ['orders_created_index', `"orders" ("created_at")`],
  ['orders_owner_created_index', `"orders" ("owner_id", "created_at")`],
  ['shipment_notes_order_index', `"shipment_notes" ("order_id", "created_at") where "status" <> 'cancelled'`],
  ['tickets_created_index', `"tickets" ("created_at")`],
  ['survey_responses_created_index', `"survey_responses" ("created_at")`],
  // Approval decisions: completed tasks offering approve and reject (db/reports/quote-approvals.ts).
  [
    'task_decision_completed_index',
    `"task" ("completed_at") where "status" = 'completed' and "outcomes" @> array['approve', 'reject']::text[]`,
  ],
  ['task_escalated_instance_index', `"task" ("instance_id") where "escalation_level" > 0`],
  ['task_open_step_index', `"task" ("template_key", "step_id", "due_at") where "status" = 'open'`],
];

export class Migration20261214000000_report_indexes extends Migration {
  override name = 'Migration20261214000000_report_indexes';

  override up(): void {
    for (const [name, definition] of INDEXES) this.addSql(`create index "${name}" on ${definition};`);
  }

  override down(): void {
    for (const [name] of INDEXES) this.addSql(`drop index if exists "${name}";`);
  }
}
