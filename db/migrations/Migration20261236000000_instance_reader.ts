import { Migration } from '@mikro-orm/migrations';

/*
 * Who reaches each instance, as rows `(reader, started_at, instance_id)`, so that GET /instances
 * for a caller who may not see every instance reads the caller's readers' rows newest first and
 * stops after a page (db/repositories/instance-reach.ts names a caller's readers).
 *
 * Before this table, that list walked every instance newest first and tested each against the
 * caller's reach (their starts and tasks, the records they may see, through the instance's
 * ancestors): at 100 000 instances 11–14 ms a page for a rep, a manager or support, and 676 ms for
 * a caller who reaches none, since every instance was read (EXPLAIN ANALYZE).
 *
 * A reader is
 *   'user:<id>'            who started the instance (its `instance.started` entry), is or was
 *                          assigned a task of it (open or completed), completed one, or is named
 *                          among the candidates of an open one;
 *   '<kind>', '<kind>:<owner>'
 *                          for leads, quotes and orders: the instance's business key names a
 *                          record of that kind, and that record's owner;
 *   'tickets'              the business key names a ticket;
 *   'invitations'          the business key is a survey invitation's id or its trigger ref;
 * and a child instance has every reader of its ancestors.
 *
 * One rule decides the rows, `engine_instance_reader_refresh`, which recomputes the rows of the
 * instances it is given and of their descendants from the tables themselves. The writers of those
 * tables do not run it: a trigger only notes what changed in `instance_reader_change`, in the
 * writer's own transaction, and a reader of the table first catches up
 * (`engine_instance_reader_catch_up`, db/repositories/instance-repository.ts). That keeps every
 * write cheap and free of cross-table races: the catch-ups run one at a time, each after the one
 * before it committed and under a snapshot that holds every change it drains, so the last one to
 * see a change recomputes from a state that has it — however the writers of an instance, its
 * tasks, its parent and its records interleave. A caller thus sees their own writes, and a reach
 * lost (a task handed on, a lead given to another rep) is gone at the next read.
 */

/** The record an instance's business key names: `ticket:T-1` names T-1, `L-1` itself. */
const RECORD_ID = `coalesce(substring(business_key from '^[a-z]+:(.+)$'), business_key)`;

/** Deep enough for any real process tree, and a stop should parent ids ever form a loop. */
const MAX_DEPTH = 32;

/** More changes than this at a catch-up, and every instance is recomputed, in one set-based pass. */
const BULK_CHANGES = 10_000;

/**
 * What each kind of source row's change notes: the column of `instance_reader_change` and the
 * row's values that go into it (an instance, an instance's entry or task, a record, an invitation).
 */
const MARKS = {
  instance: { column: 'instance_id', values: ['id'] },
  instance_of: { column: 'instance_id', values: ['instance_id'] },
  record: { column: 'record_id', values: ['id'] },
  invitation: { column: 'business_key', values: ['id', 'trigger_ref'] },
} as const;

/** A table whose rows decide readers: how its triggers note a change, and which of its writes do. */
interface Source {
  table: string;
  mark: keyof typeof MARKS;
  /** The update trigger's WHEN: only a change of what decides readers is noted. */
  update: string;
  insertWhen?: string;
}

const SOURCES: Source[] = [
  {
    table: 'process_instance',
    mark: 'instance',
    update: `old.parent_id is distinct from new.parent_id or old.business_key is distinct from new.business_key
          or old.started_at is distinct from new.started_at`,
  },
  {
    table: 'timeline_entry',
    mark: 'instance_of',
    insertWhen: `new.type = 'instance.started'`,
    update: `(old.type = 'instance.started' or new.type = 'instance.started') and (old.type is distinct from new.type
          or old.instance_id is distinct from new.instance_id or old.detail is distinct from new.detail)`,
  },
  {
    table: 'task',
    mark: 'instance_of',
    insertWhen: `new.assignee is not null or new.completed_by is not null or new.candidate_users <> '{}'`,
    update: `old.instance_id is distinct from new.instance_id or old.status is distinct from new.status
          or old.assignee is distinct from new.assignee or old.completed_by is distinct from new.completed_by
          or old.candidate_users is distinct from new.candidate_users`,
  },
  ...['leads', 'quotes', 'orders'].map((table): Source => ({
    table,
    mark: 'record',
    update: 'old.id is distinct from new.id or old.owner_id is distinct from new.owner_id',
  })),
  { table: 'tickets', mark: 'record', update: 'old.id is distinct from new.id' },
  {
    table: 'survey_invitations',
    mark: 'invitation',
    update: 'old.id is distinct from new.id or old.trigger_ref is distinct from new.trigger_ref',
  },
];

export class Migration20261236000000_instance_reader extends Migration {
  override name = 'Migration20261236000000_instance_reader';

  override up(): void {
    // The primary key is each reader's list, newest first; the second index serves the recompute's
    // delete, a single instance's check (GET /instances/:id) and the cascade.
    this.addSql(`create table "instance_reader" (
      "reader" text not null,
      "started_at" timestamptz not null,
      "instance_id" text not null references "process_instance" ("id") on delete cascade,
      constraint "instance_reader_pkey" primary key ("reader", "started_at", "instance_id")
    );`);
    this.addSql(`create index "instance_reader_instance_index" on "instance_reader" ("instance_id", "reader");`);
    // What changed since the last catch-up: an instance (and its descendants), the instances whose
    // business key names a record, or those whose business key is a value; all three null: every instance.
    this.addSql(`create table "instance_reader_change" (
      "id" bigint generated always as identity primary key,
      "instance_id" text null,
      "record_id" text null,
      "business_key" text null
    );`);
    // The lookups a recompute makes from a change: by the record a business key names, and an
    // invitation by its trigger ref (its unique key leads with the survey).
    this.addSql(`create function "engine_instance_record_id"("business_key" text) returns text
      language sql immutable parallel safe as $$ select ${RECORD_ID} $$;`);
    this
      .addSql(`create index "process_instance_record_index" on "process_instance" ("engine_instance_record_id"("business_key"))
      where "business_key" is not null;`);
    this.addSql(`create index "survey_invitations_trigger_ref_index" on "survey_invitations" ("trigger_ref");`);

    this.addSql(`create function "engine_instance_reader_refresh"("ids" text[]) returns void
      language sql as $$
        with recursive "subtree" ("id", "depth") as (
          -- A given id may be gone (a deleted instance): its children are still recomputed.
          select "given"."id", 0 from unnest("ids") "given" ("id")
          union
          select "child"."id", "subtree"."depth" + 1 from "subtree"
            join "process_instance" "child" on "child"."parent_id" = "subtree"."id"
           where "subtree"."depth" < ${MAX_DEPTH}
        ), "target" as (
          -- Each instance to recompute, with the start time its rows carry.
          select "instance"."id", "instance"."started_at", "instance"."parent_id", "instance"."business_key"
            from (select distinct "id" from "subtree") "subtree"
            join "process_instance" "instance" on "instance"."id" = "subtree"."id"
        ), "lineage" ("target", "id", "parent_id", "business_key", "depth") as (
          select "target"."id", "target"."id", "target"."parent_id", "target"."business_key", 0 from "target"
          union all
          select "lineage"."target", "parent"."id", "parent"."parent_id", "parent"."business_key", "lineage"."depth" + 1
            from "lineage" join "process_instance" "parent" on "parent"."id" = "lineage"."parent_id"
           where "lineage"."depth" < ${MAX_DEPTH}
        ), "keyed" as (
          select "target", "id", "business_key", "engine_instance_record_id"("business_key") as "record_id"
            from "lineage"
        ), "readers" ("target", "reader") as (
          -- Each lookup a lateral subquery kept apart by \`offset 0\`: an index lookup per lineage
          -- row, as the few rows of a usual catch-up want, whatever the plan cached for the
          -- function (a generic plan, not knowing how many ids it is given, would otherwise hash
          -- whole tables: 24 ms against 0.5 ms for one instance at 100 000 rows per table).
          select "keyed"."target", 'user:' || "entry"."started_by" from "keyed"
            cross join lateral (select "detail" ->> 'startedBy' from "timeline_entry"
                                 where "instance_id" = "keyed"."id" and "type" = 'instance.started' offset 0)
              "entry" ("started_by")
          union all
          select "keyed"."target", 'user:' || "named"."person" from "keyed"
            cross join lateral (select "assignee", "completed_by", "candidate_users", "status" from "task"
                                 where "task"."instance_id" = "keyed"."id" offset 0) "task"
            cross join lateral (
              select "task"."assignee" where "task"."status" in ('open', 'completed')
              union all select "task"."completed_by"
              union all select unnest("task"."candidate_users") where "task"."status" = 'open'
            ) "named" ("person")
          ${['leads', 'quotes', 'orders']
            .map(
              (table) => `union all
          select "keyed"."target", "reader" from "keyed"
            cross join lateral (select "owner_id" from "${table}" where "id" = "keyed"."record_id" offset 0) "record"
            cross join unnest(array['${table}', '${table}:' || "record"."owner_id"]) "reader"`,
            )
            .join('\n          ')}
          union all
          select "keyed"."target", 'tickets' from "keyed"
            cross join lateral (select 1 from "tickets" where "id" = "keyed"."record_id" offset 0) "record"
          union all
          select "keyed"."target", 'invitations' from "keyed"
            cross join lateral (select 1 from "survey_invitations"
                                 where "trigger_ref" = "keyed"."business_key" or "id" = "keyed"."business_key"
                                 limit 1) "invitation"
        ), "wanted" as (
          select distinct "readers"."reader", "target"."started_at", "target"."id" as "instance_id"
            from "readers" join "target" on "target"."id" = "readers"."target"
           where "readers"."reader" is not null
        ), "gone" as (
          delete from "instance_reader" "held"
           where "held"."instance_id" = any (array(select "id" from "target"))
             and not exists (select 1 from "wanted"
                              where "wanted"."reader" = "held"."reader" and "wanted"."started_at" = "held"."started_at"
                                and "wanted"."instance_id" = "held"."instance_id")
        )
        insert into "instance_reader" ("reader", "started_at", "instance_id")
          select "reader", "started_at", "instance_id" from "wanted"
          on conflict do nothing
      $$;`);

    // One catch-up at a time (the transaction-scoped advisory lock), each draining the changes
    // its own snapshot holds, taken after the lock: see the head of this file.
    this.addSql(`create function "engine_instance_reader_catch_up"() returns void
      language plpgsql as $$
        declare
          "instances" text[];
          "records" text[];
          "keys" text[];
          "everything" boolean;
          "touched" text[];
        begin
          if not exists (select 1 from "instance_reader_change") then
            return;
          end if;
          perform pg_advisory_xact_lock(hashtext('instance_reader'));
          with "drained" as (
            delete from "instance_reader_change" returning "instance_id", "record_id", "business_key"
          )
          select array_agg(distinct "instance_id") filter (where "instance_id" is not null),
                 array_agg(distinct "record_id") filter (where "record_id" is not null),
                 array_agg(distinct "business_key") filter (where "business_key" is not null),
                 coalesce(bool_or("instance_id" is null and "record_id" is null and "business_key" is null), false)
            into "instances", "records", "keys", "everything"
            from "drained";
          -- Arrays, so that each lookup is an index scan for the few values a catch-up usually has;
          -- past a bulk load's worth, recomputing every instance is the cheaper way.
          if "everything" or coalesce(cardinality("instances"), 0) + coalesce(cardinality("records"), 0)
                             + coalesce(cardinality("keys"), 0) > ${BULK_CHANGES} then
            "touched" := array(select "id" from "process_instance");
          else
            "touched" := coalesce("instances", '{}')
              || array(select "id" from "process_instance"
                        where "engine_instance_record_id"("business_key") = any("records") and "business_key" is not null)
              || array(select "id" from "process_instance" where "business_key" = any("keys"));
          end if;
          if "touched" <> '{}' then
            perform "engine_instance_reader_refresh"("touched");
          end if;
        end
      $$;`);

    // The triggers' functions only note the change (see the head of this file). OLD is null on an
    // insert and NEW on a delete, so each notes both rows' values and keeps those not null.
    for (const [mark, { column, values }] of Object.entries(MARKS)) {
      const rows = ['new', 'old'].flatMap((row) => values.map((value) => `(${row}.${value})`)).join(', ');
      this.addSql(`create function "engine_instance_reader_mark_${mark}"() returns trigger
        language plpgsql as $$
          begin
            insert into "instance_reader_change" ("${column}")
              select distinct "value" from (values ${rows}) "changed" ("value") where "value" is not null;
            return null;
          end
        $$;`);
    }
    this.addSql(`create function "engine_instance_reader_mark_everything"() returns trigger
      language plpgsql as $$
        begin
          insert into "instance_reader_change" default values;
          return null;
        end
      $$;`);
    for (const source of SOURCES) {
      const name = `instance_reader_${source.table}`;
      this.addSql(`create trigger "${name}_insert" after insert on "${source.table}"
        for each row ${source.insertWhen ? `when (${source.insertWhen})` : ''} execute function "engine_instance_reader_mark_${source.mark}"();`);
      this.addSql(`create trigger "${name}_update" after update on "${source.table}"
        for each row when (${source.update}) execute function "engine_instance_reader_mark_${source.mark}"();`);
      // An instance's delete takes its rows with it (the foreign key); its children are recomputed.
      this.addSql(`create trigger "${name}_delete" after delete on "${source.table}"
        for each row execute function "engine_instance_reader_mark_${source.mark}"();`);
      // A truncate of process_instance must cascade to this table; any other recomputes everything.
      if (source.table !== 'process_instance') {
        this.addSql(`create trigger "${name}_truncate" after truncate on "${source.table}"
          for each statement execute function "engine_instance_reader_mark_everything"();`);
      }
    }
    this.addSql(`select "engine_instance_reader_refresh"(array(select "id" from "process_instance"));`);
  }

  override down(): void {
    for (const source of SOURCES) {
      for (const event of ['truncate', 'delete', 'update', 'insert']) {
        this.addSql(`drop trigger if exists "instance_reader_${source.table}_${event}" on "${source.table}";`);
      }
    }
    for (const mark of [...Object.keys(MARKS), 'everything']) {
      this.addSql(`drop function if exists "engine_instance_reader_mark_${mark}"();`);
    }
    this.addSql('drop function if exists "engine_instance_reader_catch_up"();');
    this.addSql('drop function if exists "engine_instance_reader_refresh"(text[]);');
    this.addSql('drop index if exists "survey_invitations_trigger_ref_index";');
    this.addSql('drop index if exists "process_instance_record_index";');
    this.addSql('drop function if exists "engine_instance_record_id"(text);');
    this.addSql('drop table if exists "instance_reader_change";');
    this.addSql('drop table if exists "instance_reader";');
  }
}
