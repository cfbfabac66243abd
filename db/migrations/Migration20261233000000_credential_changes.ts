import { Migration } from '@mikro-orm/migrations';

/**
 * Tells every API process when something a principal is made of changes, so that it may keep
 * principals in memory (api/services/principal-cache.ts) and still refuse a revoked key, an ended
 * session or a deactivated user at once. Each change of a user, an API key or a session that
 * authentication reads sends `pg_notify('engine_credentials', '<kind>:<id>')` when its transaction
 * commits (PostgreSQL sends one notification per distinct payload per transaction), whoever writes
 * it: the API, a seed, another process, or someone at a psql prompt.
 */
export class Migration20261233000000_credential_changes extends Migration {
  override name = 'Migration20261233000000_credential_changes';

  override up(): void {
    // The channel and the payloads are db/auth/credential-changes.ts's; it parses them.
    // Fired by updates and deletes only: a new row is in no one's memory yet, and an entry is
    // known by the id it had (`old`), which is also the one to forget when an id changes.
    this.addSql(`create function "engine_notify_credential_change"() returns trigger
      language plpgsql as $$
        begin
          perform pg_notify('engine_credentials', tg_argv[0] || ':' || old.id);
          return null;
        end
      $$;`);
    // Only the columns authentication reads: a key's last_used_at or a session's refresh hash
    // changing tells no one anything (a refresh does move expires_at: one notification per refresh).
    this.addSql(`create trigger "engine_user_credential_change"
      after update of "id", "name", "email", "roles", "attributes", "manager_id", "active" or delete on "engine_user"
      for each row execute function "engine_notify_credential_change"('user');`);
    this.addSql(`create trigger "api_key_credential_change"
      after update of "id", "user_id", "secret_hash", "scopes", "expires_at", "revoked_at" or delete on "api_key"
      for each row execute function "engine_notify_credential_change"('key');`);
    this.addSql(`create trigger "auth_session_credential_change"
      after update of "id", "user_id", "expires_at", "revoked_at" or delete on "auth_session"
      for each row execute function "engine_notify_credential_change"('session');`);
  }

  override down(): void {
    this.addSql('drop trigger if exists "auth_session_credential_change" on "auth_session";');
    this.addSql('drop trigger if exists "api_key_credential_change" on "api_key";');
    this.addSql('drop trigger if exists "engine_user_credential_change" on "engine_user";');
    this.addSql('drop function if exists "engine_notify_credential_change"();');
  }
}
