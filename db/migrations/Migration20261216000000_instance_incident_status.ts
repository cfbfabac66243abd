import { Migration } from '@mikro-orm/migrations';

/**
 * An instance whose step failed with nobody to handle it is held `incident` (waiting for an
 * operator) instead of `failed`: the status column takes the new value. The old check was
 * declared inline, so PostgreSQL named it `process_instance_status_check`.
 */
export class Migration20261216000000_instance_incident_status extends Migration {
  override name = 'Migration20261216000000_instance_incident_status';

  override up(): void {
    this.addSql(`alter table "process_instance" drop constraint if exists "process_instance_status_check";`);
    this.addSql(
      `alter table "process_instance" add constraint "process_instance_status_check"
         check ("status" in ('running', 'incident', 'completed', 'failed', 'cancelled'));`,
    );
  }

  override down(): void {
    this.addSql(`update "process_instance" set "status" = 'running' where "status" = 'incident';`);
    this.addSql(`alter table "process_instance" drop constraint if exists "process_instance_status_check";`);
    this.addSql(
      `alter table "process_instance" add constraint "process_instance_status_check"
         check ("status" in ('running', 'completed', 'failed', 'cancelled'));`,
    );
  }
}
