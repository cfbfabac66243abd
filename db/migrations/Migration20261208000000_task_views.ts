import { Migration } from '@mikro-orm/migrations';

/**
 * Saved inbox views (a person's named filters and sort, private or shared), and an index for the
 * inbox's `done` view and counts, which look tasks up by who completed them.
 */
export class Migration20261208000000_task_views extends Migration {
  override name = 'Migration20261208000000_task_views';

  override up(): void {
    this.addSql(`create table "task_view" (
      "id" text primary key,
      "owner_id" text not null references "engine_user" ("id") on delete cascade,
      "name" text not null,
      "query" text not null,
      "shared" boolean not null default false,
      "created_at" timestamptz not null default now()
    );`);
    this.addSql(`create index "task_view_owner_index" on "task_view" ("owner_id");`);
    this.addSql(`create index "task_view_shared_index" on "task_view" ("created_at") where "shared";`);
    this.addSql(`create index "task_completed_by_index" on "task" ("completed_by") where "completed_by" is not null;`);
  }

  override down(): void {
    this.addSql('drop index if exists "task_completed_by_index";');
    this.addSql('drop table if exists "task_view";');
  }
}
