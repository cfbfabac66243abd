import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE } from '../audit/audit-chain';

/**
 * The single-use links of mails that have acted (a task decided, a survey answered, a ticket
 * confirmed). The application role gets the table from the default privileges the audit
 * migration set; it may add a use but not take one back, so a used link stays used.
 */
export class Migration20261209000000_signed_links extends Migration {
  override name = 'Migration20261209000000_signed_links';

  override up(): void {
    this.addSql(`create table "signed_link_use" (
      "jti" text primary key,
      "used_at" timestamptz not null,
      "kind" text not null,
      "subject" text not null
    );`);
    this.addSql(`create index "signed_link_use_subject_index" on "signed_link_use" ("kind", "subject");`);
    this.addSql(`do $$ begin
      if exists (select 1 from pg_roles where rolname = '${APP_ROLE}') then
        revoke update, delete, truncate on "signed_link_use" from ${APP_ROLE};
      end if;
    end $$;`);
  }

  override down(): void {
    this.addSql('drop table if exists "signed_link_use";');
  }
}
