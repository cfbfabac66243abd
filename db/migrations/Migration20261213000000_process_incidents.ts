import { Migration } from '@mikro-orm/migrations';

/**
 * Incidents: an activity of an instance that keeps failing (the worker records it once its retries
 * reach a threshold, and removes it when the activity succeeds or an operator retries it), so the
 * instance list can filter on them by SQL instead of asking Temporal per instance.
 */
export class Migration20261213000000_process_incidents extends Migration {
  override name = 'Migration20261213000000_process_incidents';

  override up(): void {
    this.addSql(`create table "process_incident" (
      "instance_id" text not null,
      "activity_id" text not null,
      "activity_type" text not null,
      "attempt" int not null,
      "message" text not null,
      "first_failed_at" timestamptz not null,
      "last_failed_at" timestamptz not null,
      primary key ("instance_id", "activity_id")
    );`);
  }

  override down(): void {
    this.addSql(`drop table if exists "process_incident";`);
  }
}
