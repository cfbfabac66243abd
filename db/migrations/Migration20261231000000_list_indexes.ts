import { Migration } from '@mikro-orm/migrations';

/*
 * Indexes that give every list page its rows in the list's own order, so a page costs the same at
 * 100 000 rows as at 1 000 (test/integration/db/list-query-plans.test.ts checks each list's plan).
 *
 * Tasks: the inbox reads one branch per way a task reaches a person (db/repositories/inbox-scope.ts
 * ScopeBranch: assigned, completed by, named candidate, role candidate, or every unassigned task),
 * each split into its open and closed part, and merges the branches' first rows. Each branch has an
 * index per task sort (db/repositories/task-order.ts: the sort key, then created_at, id; one index
 * serves both directions but for `due`, whose key differs with the direction). The expressions
 * must stay exactly those TaskOrder writes, or the planner falls back to sorting.
 *
 * CRM lists and the audit trail: (created_at, id), and (owner, created_at, id) for the owner filter
 * (db/crm/owner-filter.ts), newest first as db/repositories/keyset-page.ts pages them.
 *
 * Plain CREATE INDEX: fine on a fresh install or a small table; a production upgrade of a big
 * database would create them CONCURRENTLY (outside a transaction) before deploying this.
 */
/** Exported for Migration20261235000000_task_named_queue, whose indexes must read the same expressions. */
export const TASK_SORT_KEYS: readonly [sort: string, columns: string][] = [
  ['created', `"created_at", "id"`],
  ['due_asc', `(coalesce("due_at", 'infinity'::timestamptz)), "created_at", "id"`],
  ['due_desc', `(coalesce("due_at", '-infinity'::timestamptz)), "created_at", "id"`],
  [
    'priority',
    `((case "priority" when 'low' then 0 when 'normal' then 1 when 'high' then 2 else 3 end)), "created_at", "id"`,
  ],
  ['template', `"template_key", "created_at", "id"`],
];

const TASK_BRANCHES: readonly [branch: string, prefix: string | null, predicate: string | null][] = [
  ['assignee_open', `"assignee"`, `"status" = 'open'`],
  ['assignee_closed', `"assignee"`, `"status" <> 'open'`],
  ['completer_closed', `"completed_by"`, `"status" <> 'open'`],
  ['role_open', `"candidate_role"`, `"status" = 'open' and "assignee" is null`],
  ['unassigned_open', null, `"status" = 'open' and "assignee" is null`],
  ['open', null, `"status" = 'open'`],
  ['all', null, null],
];

function taskIndexes(): [name: string, definition: string][] {
  const indexes: [string, string][] = [];
  for (const [branch, prefix, predicate] of TASK_BRANCHES) {
    for (const [sort, columns] of TASK_SORT_KEYS) {
      // Every task newest first has its index already (task_created_index).
      if (branch === 'all' && sort === 'created') continue;
      const definition = `"task" (${prefix ? `${prefix}, ` : ''}${columns})${predicate ? ` where ${predicate}` : ''}`;
      indexes.push([`task_${branch}_${sort}_index`, definition]);
    }
  }
  // Named candidates: the GIN index over the open queue only, the part the inbox asks about.
  indexes.push([
    'task_candidate_users_open_index',
    `"task" using gin ("candidate_users") where "status" = 'open' and "assignee" is null`,
  ]);
  return indexes;
}

const CRM_INDEXES: readonly [name: string, definition: string][] = [
  ['customers_created_id_index', `"customers" ("created_at", "id")`],
  ['customers_owner_created_id_index', `"customers" ("owner_id", "created_at", "id")`],
  ['leads_created_id_index', `"leads" ("created_at", "id")`],
  ['leads_owner_created_id_index', `"leads" ("owner_id", "created_at", "id")`],
  ['quotes_created_id_index', `"quotes" ("created_at", "id")`],
  ['quotes_owner_created_id_index', `"quotes" ("owner_id", "created_at", "id")`],
  ['orders_created_id_index', `"orders" ("created_at", "id")`],
  ['orders_owner_created_id_index', `"orders" ("owner_id", "created_at", "id")`],
  ['tickets_created_id_index', `"tickets" ("created_at", "id")`],
  ['survey_invitations_sent_id_index', `"survey_invitations" ("sent_at", "id")`],
  ['audit_log_actor_occurred_id_index', `"audit_log" ("actor", "occurred_at", "id")`],
];

/** The reports' indexes these replace: each is a prefix of one above, which serves the reports as well. */
const REPLACED: readonly [name: string, definition: string][] = [
  ['leads_created_index', `"leads" ("created_at")`],
  ['leads_owner_created_index', `"leads" ("owner_id", "created_at")`],
  ['orders_created_index', `"orders" ("created_at")`],
  ['orders_owner_created_index', `"orders" ("owner_id", "created_at")`],
  ['tickets_created_index', `"tickets" ("created_at")`],
];

export class Migration20261231000000_list_indexes extends Migration {
  override name = 'Migration20261231000000_list_indexes';

  override up(): void {
    // A task is completed once and never reopened: the inbox reads tasks completed by someone among
    // the closed ones only (db/repositories/inbox-scope.ts), which this keeps true.
    this.addSql(`alter table "task" add constraint "task_open_not_completed_check"
      check ("status" <> 'open' or "completed_by" is null);`);
    for (const [name, definition] of [...taskIndexes(), ...CRM_INDEXES]) {
      this.addSql(`create index if not exists "${name}" on ${definition};`);
    }
    for (const [name] of REPLACED) this.addSql(`drop index if exists "${name}";`);
  }

  override down(): void {
    this.addSql(`alter table "task" drop constraint if exists "task_open_not_completed_check";`);
    for (const [name, definition] of REPLACED) this.addSql(`create index if not exists "${name}" on ${definition};`);
    for (const [name] of [...taskIndexes(), ...CRM_INDEXES]) this.addSql(`drop index if exists "${name}";`);
  }
}
