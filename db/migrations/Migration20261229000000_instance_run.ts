import { Migration } from '@mikro-orm/migrations';

/**
 * The projection follows the run that runs: a reset (or continue-as-new) starts a new run of the
 * same instance whose writes take the row over from the run it replaces. `run_id` is the run that
 * owns the row, `superseded_run_ids` the runs it replaced (a late write of one is ignored), and
 * `timeline_offset` shifts the new run's timeline positions past the entries the replaced run had
 * already written, so the timeline keeps both and continues.
 */
export class Migration20261229000000_instance_run extends Migration {
  override name = 'Migration20261229000000_instance_run';

  override up(): void {
    this.addSql(`alter table "process_instance" add column "run_id" text null;`);
    this.addSql(`alter table "process_instance" add column "superseded_run_ids" text[] not null default '{}';`);
    this.addSql(`alter table "process_instance" add column "timeline_offset" int not null default 0;`);
  }

  override down(): void {
    this.addSql(`alter table "process_instance" drop column "timeline_offset";`);
    this.addSql(`alter table "process_instance" drop column "superseded_run_ids";`);
    this.addSql(`alter table "process_instance" drop column "run_id";`);
  }
}
