import { Migration } from '@mikro-orm/migrations';

/**
 * Sign-in and API keys. People get a password hash (scrypt, parameters in the stored string) and
 * sessions holding the keyed hash of their current refresh token; systems get API keys of their
 * own, stored as a keyed hash (HMAC with the server secret) with scopes, expiry and revocation.
 * The old unsalted sha256 column goes: `npm start` writes the demo keys and ADMIN_API_KEY again as
 * api_key rows; keys minted by POST /users before this migration must be issued anew.
 */
export class Migration20261205000000_auth extends Migration {
  override name = 'Migration20261205000000_auth';

  override up(): void {
    this.addSql(`alter table "engine_user" add column "password_hash" text null;`);
    // The e-mail people sign in with names one account: unique among the users who can sign in.
    this.addSql(`create unique index "engine_user_sign_in_email_unique" on "engine_user" (lower("email"))
      where "password_hash" is not null;`);
    this.addSql(`alter table "engine_user" drop constraint if exists "engine_user_api_key_hash_unique";`);
    this.addSql(`alter table "engine_user" drop column if exists "api_key_hash";`);

    this.addSql(`create table "auth_session" (
      "id" text not null primary key,
      "user_id" text not null references "engine_user" ("id") on delete cascade,
      "refresh_hash" text not null,
      "created_at" timestamptz not null default now(),
      "expires_at" timestamptz not null,
      "revoked_at" timestamptz null,
      "last_used_at" timestamptz null,
      "ip" text null,
      "user_agent" text null,
      constraint "auth_session_refresh_hash_unique" unique ("refresh_hash")
    );`);
    this.addSql(`create index "auth_session_user_id_index" on "auth_session" ("user_id", "created_at");`);

    this.addSql(`create table "api_key" (
      "id" text not null primary key,
      "user_id" text not null references "engine_user" ("id") on delete cascade,
      "name" text not null,
      "prefix" text not null,
      "secret_hash" text not null,
      "scopes" jsonb not null default '{}',
      "expires_at" timestamptz null,
      "revoked_at" timestamptz null,
      "last_used_at" timestamptz null,
      "created_at" timestamptz not null default now(),
      "created_by" text null,
      constraint "api_key_secret_hash_unique" unique ("secret_hash")
    );`);
    this.addSql(`create index "api_key_user_id_index" on "api_key" ("user_id");`);
  }

  override down(): void {
    this.addSql(`drop table if exists "api_key";`);
    this.addSql(`drop table if exists "auth_session";`);
    this.addSql(`drop index if exists "engine_user_sign_in_email_unique";`);
    this.addSql(`alter table "engine_user" drop column if exists "password_hash";`);
    this.addSql(`alter table "engine_user" add column "api_key_hash" text null
      constraint "engine_user_api_key_hash_unique" unique;`);
  }
}
