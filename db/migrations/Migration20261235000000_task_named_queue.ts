import { Migration } from '@mikro-orm/migrations';

/*
 * Each person's named queue in the inbox's order: one row per open, unassigned task and each person
 * named among its candidates (`candidate_users`), keyed (person, task's created_at, task id).
 *
 * The inbox's named-candidate branch read that queue from the GIN index over `candidate_users`,
 * which has no order: every open task naming the person was read and sorted for each page (585
 * rows for the busiest manager at 100 000 tasks, 1.45 of the statement's 2.7 ms), so the page
 * grew with the queue. Read from this table's key, newest first, it stops after a page, as the
 * other branches do (db/repositories/task-repository.ts, the page's named branch).
 *
 * The table is derived: triggers on `task` keep it (no writer of tasks knows of it), and the task
 * row stays the truth. The inbox re-checks every condition on the task it joins, so a row here can
 * never show a task its reader may not see; it only decides which tasks are read first.
 */
export class Migration20261235000000_task_named_queue extends Migration {
  override name = 'Migration20261235000000_task_named_queue';

  override up(): void {
    this.addSql(`create table "task_named_queue" (
      "user_id" text not null,
      "task_created_at" timestamptz not null,
      "task_id" text not null,
      constraint "task_named_queue_pkey" primary key ("user_id", "task_created_at", "task_id")
    );`);
    // The rows a task stands for while it is open and unassigned, one per distinct name.
    this.addSql(`create function "engine_task_named_queue_rows"(task "task") returns table (
        "user_id" text, "task_created_at" timestamptz, "task_id" text)
      language sql stable as $$
        select distinct named, task.created_at, task.id from unnest(task.candidate_users) named
        where task.status = 'open' and task.assignee is null
      $$;`);
    // Deletes by the old row's key columns (the primary key's), then inserts the new row's: an
    // update that leaves the queue as it was is kept out by the trigger's WHEN.
    this.addSql(`create function "engine_task_named_queue_sync"() returns trigger
      language plpgsql as $$
        begin
          if tg_op in ('UPDATE', 'DELETE') then
            delete from "task_named_queue" queued
              using "engine_task_named_queue_rows"(old) was
              where queued.user_id = was.user_id and queued.task_created_at = was.task_created_at
                and queued.task_id = was.task_id;
          end if;
          if tg_op in ('INSERT', 'UPDATE') then
            insert into "task_named_queue" select * from "engine_task_named_queue_rows"(new)
              on conflict do nothing;
          end if;
          return null;
        end
      $$;`);
    this.addSql(`create trigger "task_named_queue_insert" after insert on "task"
      for each row when (new.candidate_users <> '{}' and new.status = 'open' and new.assignee is null)
      execute function "engine_task_named_queue_sync"();`);
    this.addSql(`create trigger "task_named_queue_update" after update on "task"
      for each row when ((old.candidate_users <> '{}' or new.candidate_users <> '{}') and (
        old.candidate_users is distinct from new.candidate_users or old.status is distinct from new.status
        or old.assignee is distinct from new.assignee or old.created_at is distinct from new.created_at
        or old.id is distinct from new.id))
      execute function "engine_task_named_queue_sync"();`);
    this.addSql(`create trigger "task_named_queue_delete" after delete on "task"
      for each row when (old.candidate_users <> '{}' and old.status = 'open' and old.assignee is null)
      execute function "engine_task_named_queue_sync"();`);
    this.addSql(`create function "engine_task_named_queue_truncate"() returns trigger
      language plpgsql as $$
        begin
          -- A delete, not a truncate: the application's role may delete but not truncate.
          delete from "task_named_queue";
          return null;
        end
      $$;`);
    this.addSql(`create trigger "task_named_queue_truncate" after truncate on "task"
      for each statement execute function "engine_task_named_queue_truncate"();`);
    this.addSql(`insert into "task_named_queue"
      select queued.* from "task" cross join lateral "engine_task_named_queue_rows"("task") queued
      where "task"."status" = 'open' and "task"."assignee" is null and "task"."candidate_users" <> '{}';`);
  }

  override down(): void {
    this.addSql('drop trigger if exists "task_named_queue_truncate" on "task";');
    this.addSql('drop trigger if exists "task_named_queue_delete" on "task";');
    this.addSql('drop trigger if exists "task_named_queue_update" on "task";');
    this.addSql('drop trigger if exists "task_named_queue_insert" on "task";');
    this.addSql('drop function if exists "engine_task_named_queue_truncate"();');
    this.addSql('drop function if exists "engine_task_named_queue_sync"();');
    this.addSql('drop function if exists "engine_task_named_queue_rows"("task");');
    this.addSql('drop table if exists "task_named_queue";');
  }
}
