import { Migration } from '@mikro-orm/migrations';

/**
 * Task access rules: a person's out-of-office rule (one per person: from–to and who takes the
 * tasks that open for them meanwhile), and on each task the users the four-eyes rule shuts out
 * and the assignee the process named when it opened (before an out-of-office rule applied), whose
 * roles decide who an assignee-only task may be delegated to.
 */
export class Migration20261207000000_out_of_office extends Migration {
  override name = 'Migration20261207000000_out_of_office';

  override up(): void {
    this.addSql(`create table "out_of_office" (
      "user_id" text primary key references "engine_user" ("id") on delete cascade,
      "starts_at" timestamptz not null,
      "ends_at" timestamptz not null,
      "delegate_id" text not null references "engine_user" ("id"),
      "created_at" timestamptz not null default now(),
      constraint "out_of_office_period_check" check ("ends_at" > "starts_at"),
      constraint "out_of_office_delegate_check" check ("delegate_id" <> "user_id")
    );`);
    this.addSql(`create index "out_of_office_delegate_index" on "out_of_office" ("delegate_id");`);
    this.addSql(`alter table "task" add column "excluded_users" text[] not null default '{}',
      add column "opened_assignee" text null;`);
  }

  override down(): void {
    this.addSql(`alter table "task" drop column if exists "excluded_users", drop column if exists "opened_assignee";`);
    this.addSql('drop table if exists "out_of_office";');
  }
}
