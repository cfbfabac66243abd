import { Migration } from '@mikro-orm/migrations';

/**
 * Which request answers "created": racing requests with one Idempotency-Key may all reach
 * Temporal (its conflict policy joins them on one execution), so the 201 goes to the one that
 * claims the key's `started_at` after its start returned, and every other gets 200.
 */
export class Migration20261222000000_idempotency_claim extends Migration {
  override name = 'Migration20261222000000_idempotency_claim';

  override up(): void {
    this.addSql(`alter table "idempotency_key" add column "started_at" timestamptz null;`);
  }

  override down(): void {
    this.addSql(`alter table "idempotency_key" drop column "started_at";`);
  }
}
