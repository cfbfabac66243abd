import { Migration } from '@mikro-orm/migrations';
import { TASK_SORT_KEYS } from './Migration20261231000000_list_indexes';

/*
 * Each person's named queue in each of the inbox's orders: one row per open, unassigned task and
 * each person named among its candidates (`candidate_users`), with the task's sort keys under the
 * task's own column names, so db/repositories/task-order.ts's ORDER BY and cursor conditions read
 * the same over this table as over `task`.
 *
 * The inbox's named-candidate branch read that queue from the GIN index over `candidate_users`,
 * which has no order: every open task naming the person was read and sorted for each page (585
 * rows for the busiest manager at 100 000 tasks, 1.45 of the statement's 2.7 ms), so the page
 * grew with the queue. Read from one of these indexes, it stops after a page, as the other
 * branches do (db/repositories/task-repository.ts, the page's named branch).
 *
 * The table is derived: triggers on `task` keep it (no writer of tasks knows of it), and the task
 * row stays the truth. The inbox re-checks every condition on the task it joins, so a row here can
 * never show a task its reader may not see; it only decides which tasks are read first.
 */

/** The task sorts' keys after the person, the very expressions of the task table's indexes (creation is the primary key). */
const SORT_KEYS = TASK_SORT_KEYS.filter(([sort]) => sort !== 'created');

export class Migration20261235000000_task_named_queue extends Migration {
  override name = 'Migration20261235000000_task_named_queue';

  override up(): void {
    // The primary key is the queue by creation.
    this.addSql(`create table "task_named_queue" (
      "user_id" text not null,
      "created_at" timestamptz not null,
      "id" text not null,
      "due_at" timestamptz null,
      "priority" text not null,
      "template_key" text not null,
      constraint "task_named_queue_pkey" primary key ("user_id", "created_at", "id")
    );`);
    for (const [sort, columns] of SORT_KEYS) {
      this.addSql(`create index "task_named_queue_${sort}_index" on "task_named_queue" ("user_id", ${columns});`);
    }
    // The rows a task stands for while it is open and unassigned, one per distinct name.
    this.addSql(`create function "engine_task_named_queue_rows"(task "task") returns table (
        "user_id" text, "created_at" timestamptz, "id" text, "due_at" timestamptz, "priority" text, "template_key" text)
      language sql stable as $$
        select distinct named, task.created_at, task.id, task.due_at, task.priority, task.template_key
        from unnest(task.candidate_users) named
        where task.status = 'open' and task.assignee is null
      $$;`);
    // Deletes the old row's entries by the primary key's columns, then inserts the new row's: an
    // update that leaves the queue as it was is kept out by the trigger's WHEN.
    this.addSql(`create function "engine_task_named_queue_sync"() returns trigger
      language plpgsql as $$
        begin
          if tg_op in ('UPDATE', 'DELETE') then
            delete from "task_named_queue" queued
              using "engine_task_named_queue_rows"(old) was
              where queued.user_id = was.user_id and queued.created_at = was.created_at and queued.id = was.id;
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
        or old.id is distinct from new.id or old.due_at is distinct from new.due_at
        or old.priority is distinct from new.priority or old.template_key is distinct from new.template_key))
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
