import { Migration } from '@mikro-orm/migrations';

/**
 * Idempotency-Key on every create, not only instance starts: a key belongs to a caller and a
 * scope (`instances`, `leads`, `orders`, …), so one key on two routes names two requests. A CRM
 * create stores its key row before the record, in the record's transaction, so the record id is
 * filled in only later in that transaction: `resource_id` (was `instance_id`) may be null there.
 */
export class Migration20261223000000_idempotency_scope extends Migration {
  override name = 'Migration20261223000000_idempotency_scope';

  override up(): void {
    this.addSql(`alter table "idempotency_key" add column "scope" text not null default 'instances';`);
    this.addSql(`alter table "idempotency_key" alter column "scope" drop default;`);
    this.addSql(`alter table "idempotency_key" rename column "instance_id" to "resource_id";`);
    this.addSql(`alter table "idempotency_key" alter column "resource_id" drop not null;`);
    this.addSql(`alter table "idempotency_key" drop constraint "idempotency_key_pkey";`);
    this.addSql(`alter table "idempotency_key" add primary key ("caller", "scope", "key");`);
  }

  override down(): void {
    this.addSql(`delete from "idempotency_key" where "scope" <> 'instances' or "resource_id" is null;`);
    this.addSql(`alter table "idempotency_key" drop constraint "idempotency_key_pkey";`);
    this.addSql(`alter table "idempotency_key" add primary key ("caller", "key");`);
    this.addSql(`alter table "idempotency_key" alter column "resource_id" set not null;`);
    this.addSql(`alter table "idempotency_key" rename column "resource_id" to "instance_id";`);
    this.addSql(`alter table "idempotency_key" drop column "scope";`);
  }
}
