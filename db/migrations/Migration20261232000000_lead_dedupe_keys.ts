import { Migration } from '@mikro-orm/migrations';

/**
 * What makes lead creation and trigger dispatch scale: the duplicate check reads stored,
 * indexed normalised keys (so it can lock per key instead of one global lock around a scan), and
 * a trigger event is claimed by a lease instead of a row lock held across the Temporal call.
 * Plain `create index`: a production upgrade of a large table would create them CONCURRENTLY,
 * outside the migration's transaction.
 */
export class Migration20261232000000_lead_dedupe_keys extends Migration {
  override name = 'Migration20261232000000_lead_dedupe_keys';

  override up(): void {
    // Generated, so no writer can forget them; the company/contact key drops every whitespace,
    // which makes a newline a separator neither part can contain ("ab"+"c" is not "a"+"bc").
    this.addSql(`alter table "leads"
      add column if not exists "email_key" text generated always as (lower("email")) stored,
      add column if not exists "name_key" text generated always as (
        regexp_replace(lower("company"), '\\s+', '', 'g') || E'\\n' || regexp_replace(lower("contact_name"), '\\s+', '', 'g')
      ) stored;`);
    // Only leads that are not disqualified can be duplicates: the check's own condition.
    this.addSql(`create index if not exists "leads_email_key_index" on "leads" ("email_key", "created_at", "id")
      where "status" <> 'disqualified' and "email_key" is not null;`);
    this.addSql(`create index if not exists "leads_name_key_index" on "leads" ("name_key", "created_at", "id")
      where "status" <> 'disqualified';`);
    // A round's claim on an event: other dispatchers skip it until it is dispatched or the lease ends.
    this.addSql(`alter table "process_event" add column if not exists "claimed_until" timestamptz null;`);
  }

  override down(): void {
    this.addSql(`alter table "process_event" drop column if exists "claimed_until";`);
    this.addSql(`drop index if exists "leads_name_key_index";`);
    this.addSql(`drop index if exists "leads_email_key_index";`);
    this.addSql(`alter table "leads" drop column if exists "name_key", drop column if exists "email_key";`);
  }
}
