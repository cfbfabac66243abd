import { Migration } from '@mikro-orm/migrations';

/**
 * The engine's own tables: users, template drafts and versions, the instance and task
 * projections with their timeline and task events, and API idempotency keys. Plus
 * `engine_attributes_match`, the one definition of "a user's attributes satisfy a
 * candidate filter", shared by the inbox and by recipient lookups.
 */
export class Migration20261126000000_engine extends Migration {
  override name = 'Migration20261126000000_engine';

  override up(): void {
    this.addSql(`create table "engine_user" (
      "id" text not null primary key,
      "name" text not null,
      "email" text not null,
      "roles" text[] not null default '{}',
      "attributes" jsonb not null default '{}',
      "manager_id" text null references "engine_user" ("id") on delete set null,
      "api_key_hash" text null,
      "active" boolean not null default true,
      "created_at" timestamptz not null default now(),
      constraint "engine_user_api_key_hash_unique" unique ("api_key_hash")
    );`);
    this.addSql(`create index "engine_user_roles_index" on "engine_user" using gin ("roles");`);

    this.addSql(`create table "template_draft" (
      "key" text not null primary key,
      "name" text null,
      "source" text not null,
      "updated_at" timestamptz not null,
      "updated_by" text not null
    );`);
    this.addSql(`create table "template_version" (
      "key" text not null,
      "version" int not null check ("version" > 0),
      "hash" text not null,
      "source" text not null,
      "plan" jsonb not null,
      "published_at" timestamptz not null,
      "published_by" text not null,
      primary key ("key", "version"),
      constraint "template_version_key_hash_unique" unique ("key", "hash")
    );`);

    this.addSql(`create table "process_instance" (
      "id" text not null primary key,
      "template_key" text not null,
      "version" int not null,
      "business_key" text null,
      "parent_id" text null,
      "status" text check ("status" in ('running', 'completed', 'failed', 'cancelled')) not null,
      "started_at" timestamptz not null,
      "ended_at" timestamptz null,
      "current_steps" jsonb not null default '[]',
      "result" jsonb null,
      "error" jsonb null,
      "projected_seq" int not null default -1,
      "updated_at" timestamptz not null
    );`);
    this.addSql(`create index "process_instance_started_index" on "process_instance" ("started_at" desc, "id" desc);`);
    this.addSql(
      `create index "process_instance_template_index" on "process_instance" ("template_key", "started_at" desc, "id" desc);`,
    );
    this.addSql(
      `create index "process_instance_status_index" on "process_instance" ("status", "started_at" desc, "id" desc);`,
    );
    this.addSql(
      `create index "process_instance_business_key_index" on "process_instance" ("business_key") where "business_key" is not null;`,
    );
    this.addSql(
      `create index "process_instance_parent_index" on "process_instance" ("parent_id") where "parent_id" is not null;`,
    );

    this.addSql(`create table "timeline_entry" (
      "instance_id" text not null references "process_instance" ("id") on delete cascade,
      "seq" int not null,
      "at" timestamptz not null,
      "type" text not null,
      "step_id" text null,
      "path" text null,
      "detail" jsonb null,
      primary key ("instance_id", "seq")
    );`);

    // No foreign key to process_instance: a task may be projected before its instance row.
    this.addSql(`create table "task" (
      "id" text not null primary key,
      "instance_id" text not null,
      "template_key" text not null,
      "step_id" text not null,
      "title" text not null,
      "description" text null,
      "assignee" text null,
      "candidate_role" text null,
      "candidate_users" text[] not null default '{}',
      "candidate_where" jsonb not null default '{}',
      "outcomes" text[] not null,
      "form" jsonb null,
      "priority" text check ("priority" in ('low', 'normal', 'high', 'urgent')) not null default 'normal',
      "due_at" timestamptz null,
      "status" text check ("status" in ('open', 'completed', 'cancelled')) not null default 'open',
      "outcome" text null,
      "form_data" jsonb null,
      "comment" text null,
      "completed_by" text null,
      "completed_at" timestamptz null,
      "reminders_sent" int not null default 0,
      "escalation_level" int not null default 0,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null
    );`);
    this.addSql(`create index "task_status_assignee_index" on "task" ("status", "assignee");`);
    this.addSql(`create index "task_status_candidate_role_index" on "task" ("status", "candidate_role");`);
    this.addSql(`create index "task_candidate_users_index" on "task" using gin ("candidate_users");`);
    this.addSql(`create index "task_due_at_index" on "task" ("due_at") where "due_at" is not null;`);
    this.addSql(`create index "task_instance_index" on "task" ("instance_id");`);
    this.addSql(`create index "task_created_index" on "task" ("created_at" desc, "id" desc);`);

    // A bigint identity, so events read back in the order they were recorded.
    this.addSql(`create table "task_event" (
      "id" bigint generated by default as identity primary key,
      "task_id" text not null references "task" ("id") on delete cascade,
      "event_key" text not null,
      "type" text not null,
      "actor" text null,
      "at" timestamptz not null,
      "detail" jsonb null,
      constraint "task_event_task_id_event_key_unique" unique ("task_id", "event_key")
    );`);

    this.addSql(`create table "idempotency_key" (
      "caller" text not null,
      "key" text not null,
      "request_hash" text not null,
      "instance_id" text not null,
      "created_at" timestamptz not null default now(),
      primary key ("caller", "key")
    );`);

    // Scalar condition: equal, or contained in an array attribute. Array condition: any of
    // its values (for an array attribute: any overlap). A missing attribute never matches.
    this.addSql(`create function "engine_attributes_match"(attrs jsonb, conditions jsonb) returns boolean
      language sql immutable as $$
        select coalesce(bool_and(
          case
            when attrs -> c.key is null then false
            when jsonb_typeof(c.value) = 'array' then
              case when jsonb_typeof(attrs -> c.key) = 'array'
                then exists (select 1 from jsonb_array_elements(attrs -> c.key) a where c.value @> jsonb_build_array(a.value))
                else c.value @> jsonb_build_array(attrs -> c.key)
              end
            when jsonb_typeof(attrs -> c.key) = 'array' then attrs -> c.key @> jsonb_build_array(c.value)
            else attrs -> c.key = c.value
          end), true)
        from jsonb_each(coalesce(conditions, '{}'::jsonb)) c
      $$;`);
  }

  override down(): void {
    this.addSql('drop function if exists "engine_attributes_match"(jsonb, jsonb);');
    this.addSql('drop table if exists "idempotency_key";');
    this.addSql('drop table if exists "task_event";');
    this.addSql('drop table if exists "task";');
    this.addSql('drop table if exists "timeline_entry";');
    this.addSql('drop table if exists "process_instance";');
    this.addSql('drop table if exists "template_version";');
    this.addSql('drop table if exists "template_draft";');
    this.addSql('drop table if exists "engine_user";');
  }
}
