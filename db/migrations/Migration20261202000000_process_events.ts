import { Migration } from '@mikro-orm/migrations';

/**
 * The trigger outbox: a business event (lead.created, order.placed, …) is written in the same
 * transaction as the record it is about, and a dispatcher starts the templates bound to it. So a
 * lead is never saved without its process eventually starting, even when Temporal is down, and
 * (event, dedupe_key) keeps a retried activity or request from raising the same event twice.
 */
export class Migration20261202000000_process_events extends Migration {
  override name = 'Migration20261202000000_process_events';

  override up(): void {
    this.addSql(`create table "process_event" (
      "id" text not null primary key,
      "event" text not null,
      "dedupe_key" text not null,
      "payload" jsonb not null,
      "raised_by" text not null,
      "task_queue" text null,
      "created_at" timestamptz not null default now(),
      "dispatched_at" timestamptz null,
      "attempts" int not null default 0,
      "last_error" text null,
      "instances" jsonb not null default '[]',
      constraint "process_event_event_dedupe_key_unique" unique ("event", "dedupe_key")
    );`);
    this.addSql(
      `create index "process_event_pending_index" on "process_event" ("created_at") where "dispatched_at" is null;`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "process_event";`);
  }
}
