import { Migration } from '@mikro-orm/migrations';

/**
 * A new user is reported on the `engine_credentials` channel too (`user:<id>`), like a changed or
 * deleted one (migration 20261233). No principal is made of a new row, but a team is: the API keeps
 * the teams managers lead in memory (api/services/principal-cache.ts), and a user added with a
 * manager or a region joins that team.
 */
export class Migration20261234000000_user_insert_change extends Migration {
  override name = 'Migration20261234000000_user_insert_change';

  override up(): void {
    // The channel and the payload are db/auth/credential-changes.ts's, as in 20261233.
    this.addSql(`create function "engine_notify_user_insert"() returns trigger
      language plpgsql as $$
        begin
          perform pg_notify('engine_credentials', 'user:' || new.id);
          return null;
        end
      $$;`);
    this.addSql(`create trigger "engine_user_insert_change"
      after insert on "engine_user"
      for each row execute function "engine_notify_user_insert"();`);
  }

  override down(): void {
    this.addSql('drop trigger if exists "engine_user_insert_change" on "engine_user";');
    this.addSql('drop function if exists "engine_notify_user_insert"();');
  }
}
