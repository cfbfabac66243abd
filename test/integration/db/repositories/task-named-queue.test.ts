import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrateDatabase, openOrm, type Orm } from '../../../../db/orm';
import { TaskRepository } from '../../../../db/repositories';
import { TASK_SORTS, TaskOrder } from '../../../../db/repositories/task-order';
import { createScratchDatabase, migrationsFrom, type ScratchDatabase } from '../../../support/scratch-database';

/** A row of a named queue, with the sort keys it copies from its task. */
interface QueueRow {
  user_id: string;
  task_id: string;
  created: string;
  due: string | null;
  priority: string;
  template_key: string;
}

/**
 * The named queues (table task_named_queue, migration 20261235) are derived from the task table by
 * triggers, which no writer of tasks calls: after every kind of write, as the application's role,
 * they hold exactly one row per open, unassigned task and each distinct name among its candidates,
 * with the task's sort keys. A scratch database, since a truncate of the task table is one of the writes.
 */
describe('the named queues kept from the task table', () => {
  let scratch: ScratchDatabase;
  let owner: Orm;
  let app: Orm;

  /** The queues as the task table says they must be, and as the triggers kept them. */
  const queues = async () => {
    const em = owner.em.fork();
    const derived = await em.execute<QueueRow[]>(
      `select distinct named as user_id, id as task_id, created_at::text as created, due_at::text as due, priority,
         template_key
       from task cross join unnest(candidate_users) named
       where status = 'open' and assignee is null order by 1, 2`,
    );
    const kept = await em.execute<QueueRow[]>(
      `select user_id, id as task_id, created_at::text as created, due_at::text as due, priority, template_key
       from task_named_queue order by 1, 2`,
    );
    return { derived, kept };
  };
  const write = (sql: string, params: unknown[] = []) => app.em.fork().getConnection().execute(sql, params);
  const insertTask = (id: string, fields: { assignee?: string; users: string[]; minutesAgo: number }) =>
    write(
      `insert into task (id, instance_id, template_key, step_id, title, outcomes, assignee, candidate_users,
         created_at, updated_at)
       values (?, 'i-1', 'queue-test', 'steps[0]', ?, '{done}', ?, array(select jsonb_array_elements_text(?::jsonb)),
         now() - make_interval(mins => ?), now())`,
      [id, id, fields.assignee ?? null, JSON.stringify(fields.users), fields.minutesAgo],
    );

  beforeAll(async () => {
    scratch = await createScratchDatabase('named_queue');
    owner = await openOrm(scratch.url, { poolMax: 2 });
    await migrateDatabase(owner);
    app = await openOrm(scratch.appUrl, { poolMax: 2 });
  });

  afterAll(async () => {
    await app?.close();
    await owner?.close();
    await scratch?.drop();
  });

  it('follows inserts, claims, hand-backs, renames, sort keys, completion, re-keying and deletes', async () => {
    await insertTask('t-named', { users: ['u-a', 'u-b', 'u-a'], minutesAgo: 5 });
    await insertTask('t-claimed', { users: ['u-a'], assignee: 'u-b', minutesAgo: 4 });
    await insertTask('t-role', { users: [], minutesAgo: 3 });
    await insertTask('t-later', { users: ['u-b'], minutesAgo: 2 });
    let state = await queues();
    expect(state.kept.map((row) => `${row.user_id} ${row.task_id}`)).toEqual([
      'u-a t-named',
      'u-b t-later',
      'u-b t-named',
    ]);
    expect(state.kept[0]).toMatchObject({ due: null, priority: 'normal', template_key: 'queue-test' });
    expect(state.kept).toEqual(state.derived);

    const steps: [what: string, sql: string][] = [
      ['claimed', `update task set assignee = 'u-a' where id = 't-named'`],
      ['handed back', `update task set assignee = null where id in ('t-named', 't-claimed')`],
      ['names changed', `update task set candidate_users = '{u-c,u-b}' where id = 't-named'`],
      ['named where there were none', `update task set candidate_users = '{u-a}' where id = 't-role'`],
      ['unrelated columns', `update task set title = 'renamed', reminders_sent = 1 where id = 't-later'`],
      ['sort keys', `update task set priority = 'high', due_at = now(), template_key = 'other' where id = 't-later'`],
      ['due date dropped', `update task set due_at = null where id = 't-later'`],
      ['completed', `update task set status = 'completed', completed_by = 'u-b' where id = 't-later'`],
      ['re-created', `update task set created_at = created_at - interval '1 day' where id = 't-named'`],
      ['re-keyed', `update task set id = 't-moved' where id = 't-claimed'`],
      ['deleted', `delete from task where id = 't-role'`],
    ];
    for (const [what, sql] of steps) {
      await write(sql);
      state = await queues();
      expect({ what, kept: state.kept }).toEqual({ what, kept: state.derived });
    }
    expect(state.kept.map((row) => `${row.user_id} ${row.task_id}`)).toEqual([
      'u-a t-moved',
      'u-b t-named',
      'u-c t-named',
    ]);
  });

  it.each(TASK_SORTS.flatMap((sort) => (['asc', 'desc'] as const).map((order) => [sort, order] as const)))(
    'reads a named queue by %s %s a page at a time, each task once, in the order of the task table',
    async (sort, order) => {
      const user = { id: `u-pager-${sort}-${order}`, roles: [], attributes: {} };
      const prefix = `t-${sort}-${order}-`;
      for (let i = 0; i < 9; i++) {
        await insertTask(`${prefix}${i}`, { users: [user.id, 'u-other'], minutesAgo: 100 - i });
      }
      // Ties in every key (a shared creation time, no due date or the same one, each priority
      // twice, two templates), so that each later key and the id decide somewhere.
      await write(`update task set created_at = (select created_at from task where id = ?) where id = ?`, [
        `${prefix}3`,
        `${prefix}4`,
      ]);
      await write(
        `update task set
           due_at = case when right(id, 1) in ('0', '1', '2') then null
                         else date_trunc('day', now()) + make_interval(days => right(id, 1)::int % 3) end,
           priority = (array['low', 'normal', 'high', 'urgent'])[right(id, 1)::int % 4 + 1],
           template_key = case when right(id, 1)::int % 2 = 0 then 'queue-a' else 'queue-b' end
         where id like ?`,
        [`${prefix}%`],
      );
      await write(`update task set assignee = 'u-other' where id = ?`, [`${prefix}5`]);
      const expected = await owner.em.fork().execute<{ id: string }[]>(
        `select id from task where status = 'open' and assignee is null and ? = any(candidate_users)
         order by ${new TaskOrder(sort, order).orderBy}`,
        [user.id],
      );
      expect(expected).toHaveLength(8);
      const seen: string[] = [];
      let cursor: string | undefined;
      const tasks = new TaskRepository();
      do {
        const page = await tasks.inbox(app.em.fork(), user, {
          view: 'queue',
          sort,
          order,
          limit: 3,
          ...(cursor ? { cursor } : {}),
        });
        seen.push(...page.items.map((task) => task.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(expected.map((row) => row.id));
    },
  );

  it('is filled from the tasks there are when its migration runs', async () => {
    await owner.migrator.down({ to: 'Migration20261234000000_user_insert_change' });
    await insertTask('t-before', { users: ['u-a', 'u-d'], minutesAgo: 1 });
    await insertTask('t-before-claimed', { users: ['u-a'], assignee: 'u-a', minutesAgo: 1 });
    // It and every later migration, which the down undid too.
    expect(await migrateDatabase(owner)).toEqual(migrationsFrom('Migration20261235000000_task_named_queue'));
    const state = await queues();
    expect(state.kept.filter((row) => row.task_id.startsWith('t-before')).map((row) => row.user_id)).toEqual([
      'u-a',
      'u-d',
    ]);
    expect(state.kept).toEqual(state.derived);
  });

  it('is emptied with the task table', async () => {
    expect((await queues()).kept.length).toBeGreaterThan(0);
    await owner.em.fork().getConnection().execute('truncate task cascade');
    expect(await queues()).toEqual({ derived: [], kept: [] });
  });
});
