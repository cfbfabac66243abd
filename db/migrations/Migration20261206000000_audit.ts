import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE, AUDIT_CHAIN_LOCK_ID } from '../audit/audit-chain';

/**
 * The audit trail becomes evidence: each row carries who acted on whose behalf, the request it
 * came from, the changed fields before and after, and the hash of the row before it, computed by
 * a trigger so that no writer (the ORM, a query builder, raw SQL) can skip or forge the chain.
 * The application gets a role of its own that may append to `audit_log` but not change it.
 */
export class Migration20261206000000_audit extends Migration {
  override name = 'Migration20261206000000_audit';

  override up(): void {
    this.addSql(`alter table "audit_log"
      add column "seq" bigint null,
      add column "on_behalf_of" varchar(255) null,
      add column "request_id" varchar(255) null,
      add column "user_agent" varchar(512) null,
      add column "before" jsonb null,
      add column "after" jsonb null,
      add column "prev_hash" varchar(64) null,
      add column "hash" varchar(64) null;`);

    // One text per row, the same for the trigger and for verification: a JSON array fixes the
    // field order and escapes every value, jsonb's text is already canonical, and the time is
    // rendered in UTC so the session's time zone cannot change the hash.
    this.addSql(`create function "audit_log_row_hash"(previous text, r audit_log) returns text
      language sql immutable as $$
        select encode(sha256(convert_to(coalesce(previous, '') || jsonb_build_array(
          r.seq, r.id, to_char(r.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
          r.actor, r.on_behalf_of, r.action, r.subject, r.detail, r.ip, r.request_id,
          r.user_agent, r.before, r.after, r.idempotency_key
        )::text, 'UTF8')), 'hex')
      $$;`);

    // Existing rows are chained in the order they were written.
    this.addSql(`update "audit_log" a set "seq" = o.seq
      from (select id, row_number() over (order by occurred_at, id) as seq from "audit_log") o where a.id = o.id;`);
    this.addSql(`do $$
      declare r audit_log; previous text := null;
      begin
        for r in select * from audit_log order by seq loop
          r.prev_hash := previous;
          previous := audit_log_row_hash(previous, r);
          update audit_log set prev_hash = r.prev_hash, hash = previous where id = r.id;
        end loop;
      end $$;`);
    this.addSql(`alter table "audit_log" add constraint "audit_log_seq_unique" unique ("seq");`);
    // Two rows naming the same predecessor would be a fork; the lock below prevents it, this makes
    // a writer that got round the lock (a snapshot older than the last row) fail instead.
    this.addSql(`create unique index "audit_log_prev_hash_unique" on "audit_log" ("prev_hash");`);
    this.addSql(`create index "audit_log_actor_index" on "audit_log" ("actor", "occurred_at");`);
    this.addSql(`create index "audit_log_occurred_at_index" on "audit_log" ("occurred_at", "id");`);

    // The chain is extended when the inserting transaction commits (a deferred constraint
    // trigger), not at the insert: the lock that serialises appends is then held only for the
    // commit, never while the transaction goes on to lock rows another appender holds (a deadlock),
    // and the last committed row is the predecessor. seq is assigned here, under the lock, rather
    // than by an identity column, whose numbers are handed out before it and would not follow
    // the chain. SECURITY DEFINER: the application's role may not update audit_log itself.
    this.addSql(`create function "audit_log_chain"() returns trigger
      language plpgsql security definer set search_path = public, pg_temp as $$
      declare last audit_log; r audit_log := new;
      begin
        perform pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_ID});
        select * into last from audit_log where seq is not null order by seq desc limit 1;
        r.seq := coalesce(last.seq, 0) + 1;
        r.prev_hash := last.hash;
        r.hash := audit_log_row_hash(last.hash, r);
        update audit_log set seq = r.seq, prev_hash = r.prev_hash, hash = r.hash where id = r.id;
        return null;
      end $$;`);
    this.addSql(`revoke all on function "audit_log_chain"() from public;`);
    this.addSql(`create constraint trigger "audit_log_chain" after insert on "audit_log"
      deferrable initially deferred for each row execute function "audit_log_chain"();`);
    // What a writer puts in the chain's columns is discarded at once: a row still waiting for its
    // commit has none, so no pending row (its own included) can pose as the predecessor.
    this.addSql(`create function "audit_log_unchained"() returns trigger language plpgsql as $$
      begin
        new.seq := null;
        new.prev_hash := null;
        new.hash := null;
        return new;
      end $$;`);
    this.addSql(`create trigger "audit_log_unchained" before insert on "audit_log"
      for each row execute function "audit_log_unchained"();`);

    this.addSql(grantAppRoleSql());
  }

  override down(): void {
    // The role is cluster-wide and other databases may use it: only its rights here are revoked
    // (not DROP OWNED, which would revoke its rights on the other databases too).
    this.addSql(`do $$ begin
      if exists (select 1 from pg_roles where rolname = '${APP_ROLE}') then
        alter default privileges in schema public revoke all on tables from ${APP_ROLE};
        alter default privileges in schema public revoke all on sequences from ${APP_ROLE};
        revoke all on all tables in schema public from ${APP_ROLE};
        revoke all on all sequences in schema public from ${APP_ROLE};
        revoke usage on schema public from ${APP_ROLE};
        execute format('revoke connect on database %I from ${APP_ROLE}', current_database());
      end if;
    end $$;`);
    this.addSql(`drop trigger if exists "audit_log_chain" on "audit_log";`);
    this.addSql(`drop trigger if exists "audit_log_unchained" on "audit_log";`);
    this.addSql(`drop function if exists "audit_log_unchained"();`);
    this.addSql(`drop function if exists "audit_log_chain"();`);
    this.addSql(`drop index if exists "audit_log_prev_hash_unique";`);
    this.addSql(`drop index if exists "audit_log_actor_index";`);
    this.addSql(`drop index if exists "audit_log_occurred_at_index";`);
    this.addSql(`alter table "audit_log" drop constraint if exists "audit_log_seq_unique";`);
    this.addSql(`drop function if exists "audit_log_row_hash"(text, audit_log);`);
    this.addSql(`alter table "audit_log"
      drop column if exists "seq", drop column if exists "on_behalf_of", drop column if exists "request_id",
      drop column if exists "user_agent", drop column if exists "before", drop column if exists "after",
      drop column if exists "prev_hash", drop column if exists "hash";`);
  }
}

/**
 * Creates the application's role when the migrating role may (a superuser or CREATEROLE; its
 * password is set by the runtime, from configuration), and grants it the data but not the
 * audit trail's history. An owner that may not create roles gets a notice instead: the
 * application then runs as the owner and the trail is append-only only by convention.
 */
function grantAppRoleSql(): string {
  return `do $$ begin
    if not exists (select 1 from pg_roles where rolname = '${APP_ROLE}') then
      if not exists (select 1 from pg_roles where rolname = current_user and (rolsuper or rolcreaterole)) then
        raise notice 'role ${APP_ROLE} is missing and % may not create it: the application runs as the owner', current_user;
        return;
      end if;
      create role ${APP_ROLE} login nosuperuser nocreatedb nocreaterole noreplication;
    end if;
    execute format('grant connect on database %I to ${APP_ROLE}', current_database());
    grant usage on schema public to ${APP_ROLE};
    grant select, insert, update, delete on all tables in schema public to ${APP_ROLE};
    grant usage, select on all sequences in schema public to ${APP_ROLE};
    revoke update, delete, truncate on audit_log from ${APP_ROLE};
    -- It reads which migrations ran (to know it has nothing to apply) but never records one.
    revoke insert, update, delete on mikro_orm_migrations from ${APP_ROLE};
    -- Tables and sequences later migrations create (as this same owner) are granted too.
    alter default privileges in schema public grant select, insert, update, delete on tables to ${APP_ROLE};
    alter default privileges in schema public grant usage, select on sequences to ${APP_ROLE};
  end $$;`;
}
