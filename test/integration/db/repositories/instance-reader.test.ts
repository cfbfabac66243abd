import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import { migrateDatabase, openOrm, type Orm } from '../../../../db/orm';
import { InstanceRepository, type InstanceReach } from '../../../../db/repositories';
import { createScratchDatabase, migrationsFrom, type ScratchDatabase } from '../../../support/scratch-database';

/**
 * The reach of a caller who may not see every instance, stated as the rule itself: a test of the
 * rule on each instance and its ancestors, over the tables. GET /instances once listed by this
 * very condition (a walk of every instance); it is kept here as the oracle the derived table
 * `instance_reader` (migration 20261236) must agree with.
 */
function reachedByRule(reach: InstanceReach): { sql: string; params: unknown[] } {
  const params: unknown[] = [reach.userId, reach.userId, reach.userId, reach.userId];
  const records: string[] = [];
  for (const kind of ['leads', 'quotes', 'orders'] as const) {
    const scope = reach[kind];
    if (scope === 'none' || (scope !== 'all' && scope.ownerIds.length === 0)) continue;
    if (scope === 'all') records.push(`exists (select 1 from ${kind} r where r.id = l.record_id)`);
    else {
      records.push(`exists (select 1 from ${kind} r where r.id = l.record_id and r.owner_id in (?))`);
      params.push([...scope.ownerIds]);
    }
  }
  if (reach.tickets === 'all') records.push('exists (select 1 from tickets r where r.id = l.record_id)');
  if (reach.invitations === 'all') {
    records.push(
      'exists (select 1 from survey_invitations r where r.trigger_ref = l.business_key or r.id = l.business_key)',
    );
  }
  const sql = `exists (
    with recursive lineage (id, parent_id, business_key, record_id, depth) as (
      select p.id, p.parent_id, p.business_key, coalesce(substring(p.business_key from '^[a-z]+:(.+)$'), p.business_key), 0
        from process_instance p where p.id = process_instance.id
      union all
      select p.id, p.parent_id, p.business_key, coalesce(substring(p.business_key from '^[a-z]+:(.+)$'), p.business_key),
             l.depth + 1
        from process_instance p join lineage l on p.id = l.parent_id where l.depth < 32
    )
    select 1 from lineage l
     where exists (select 1 from timeline_entry t
                    where t.instance_id = l.id and t.type = 'instance.started' and t.detail->>'startedBy' = ?)
        or exists (select 1 from task k
                    where k.instance_id = l.id
                      and ((k.assignee = ? and k.status in ('open', 'completed')) or k.completed_by = ?
                           or (k.status = 'open' and ? = any(k.candidate_users))))
        ${records.map((condition) => `or ${condition}`).join('\n        ')}
  )`;
  return { sql, params };
}

const REACHES: Record<string, InstanceReach> = {
  'rep A': {
    userId: 'u-a',
    leads: { ownerIds: ['u-a'] },
    quotes: { ownerIds: ['u-a'] },
    orders: { ownerIds: ['u-a'] },
    tickets: 'none',
    invitations: 'none',
  },
  'rep B': {
    userId: 'u-b',
    leads: { ownerIds: ['u-b'] },
    quotes: { ownerIds: ['u-b'] },
    orders: 'none',
    tickets: 'none',
    invitations: 'none',
  },
  'manager of A and B': {
    userId: 'u-m',
    leads: { ownerIds: ['u-a', 'u-b', 'u-m'] },
    quotes: 'all',
    orders: { ownerIds: ['u-b'] },
    tickets: 'none',
    invitations: 'none',
  },
  support: { userId: 'u-s', leads: 'none', quotes: 'none', orders: 'none', tickets: 'all', invitations: 'all' },
  'someone with no records': {
    userId: 'u-z',
    leads: { ownerIds: [] },
    quotes: 'none',
    orders: 'none',
    tickets: 'none',
    invitations: 'none',
  },
};

/**
 * GET /instances for a caller who may not see every instance reads `instance_reader`, a table
 * derived from instances, their start entries, tasks, leads, quotes, orders, tickets and survey
 * invitations, through each instance's ancestors. After every kind of write, as the application's
 * role, the list of each reach (a page at a time) and the check of each instance (GET
 * /instances/:id) agree with the rule. A scratch database, since a truncate is one of the writes.
 */
describe('the instances a caller reaches, kept in instance_reader', () => {
  let scratch: ScratchDatabase;
  let owner: Orm;
  let app: Orm;
  const instances = new InstanceRepository();

  const write = (sql: string, params: unknown[] = []) => app.em.fork().getConnection().execute(sql, params);

  /** Each reach's instances: by the rule, listed 2 at a time, and checked one by one. */
  const reached = async () => {
    const em = app.em.fork();
    const all = await em.execute<{ id: string }[]>('select id from process_instance order by id');
    const result: Record<string, { rule: string[]; listed: string[]; checked: string[] }> = {};
    for (const [name, reach] of Object.entries(REACHES)) {
      const rule = reachedByRule(reach);
      const byRule = await em.execute<{ id: string }[]>(
        `select id from process_instance where ${rule.sql} order by started_at desc, id desc`,
        rule.params,
      );
      const listed = await listAll(em, reach);
      const checked: string[] = [];
      for (const { id } of all) if (await instances.get(em, id, reach)) checked.push(id);
      result[name] = {
        rule: byRule.map((row) => row.id),
        listed,
        checked: checked.sort(),
      };
    }
    return result;
  };
  const listAll = async (em: EntityManager, reach: InstanceReach) => {
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const page = await instances.list(em, { reach, limit: 2, cursor });
      ids.push(...page.items.map((item) => item.id));
      if (!page.nextCursor) return ids;
      cursor = page.nextCursor;
    }
    throw new Error('more than 100 pages');
  };
  const expectAgreement = async (what: string) => {
    for (const [name, { rule, listed, checked }] of Object.entries(await reached())) {
      expect({ what, name, listed }).toEqual({ what, name, listed: rule });
      expect({ what, name, checked }).toEqual({ what, name, checked: [...rule].sort() });
    }
  };
  const readersOf = async (id: string) =>
    (
      await app.em
        .fork()
        .execute<{ reader: string }[]>('select reader from instance_reader where instance_id = ? order by reader', [id])
    ).map((row) => row.reader);

  const insertTask = (id: string, instance: string, fields: { assignee?: string; users?: string[] }) =>
    write(
      `insert into task (id, instance_id, template_key, step_id, title, outcomes, assignee, candidate_users, created_at, updated_at)
       values (?, ?, 'reach-test', 'steps[0]', ?, '{done}', ?, array(select jsonb_array_elements_text(?::jsonb)), now(), now())`,
      [id, instance, id, fields.assignee ?? null, JSON.stringify(fields.users ?? [])],
    );

  beforeAll(async () => {
    scratch = await createScratchDatabase('instance_reader');
    owner = await openOrm(scratch.url, { poolMax: 2 });
    await migrateDatabase(owner);
    app = await openOrm(scratch.appUrl, { poolMax: 4 });
    await write(`insert into engine_user (id, name, email) select id, id, id || '@reach.example'
                 from unnest(array['u-a', 'u-b', 'u-m', 'u-s', 'u-z']) id`);
    await write(`insert into customers (id, name) values ('c-1', 'Customer')`);
    await write(`insert into surveys (id, name) values ('sv-1', 'Survey')`);
  });

  afterAll(async () => {
    await app?.close();
    await owner?.close();
    await scratch?.drop();
  });

  it('follows starts, tasks, records, invitations and parents through every kind of write', async () => {
    const steps: [what: string, sql: string][] = [
      [
        'an instance started by A',
        `insert into process_instance (id, template_key, version, business_key, status, started_at, updated_at)
         values ('i-start', 'reach-test', 1, null, 'running', now() - interval '50 minutes', now());
         insert into timeline_entry (instance_id, seq, at, type, detail)
         values ('i-start', 0, now(), 'instance.started', '{"startedBy": "u-a"}')`,
      ],
      [
        'a lead of A and its process',
        `insert into leads (id, source, company, contact_name, owner_id) values ('L-1', 'web', 'Acme', 'Li', 'u-a');
         insert into process_instance (id, template_key, version, business_key, status, started_at, updated_at)
         values ('i-lead', 'reach-test', 1, 'L-1', 'running', now() - interval '40 minutes', now())`,
      ],
      ['the lead given to B', `update leads set owner_id = 'u-b' where id = 'L-1'`],
      [
        'a process keyed by a quote before its quote',
        `insert into process_instance (id, template_key, version, business_key, status, started_at, updated_at)
         values ('i-quote', 'reach-test', 1, 'quote:Q-1', 'running', now() - interval '30 minutes', now())`,
      ],
      ['the quote, of nobody', `insert into quotes (id, customer_id, owner_id) values ('Q-1', 'c-1', null)`],
      ['the quote given to A', `update quotes set owner_id = 'u-a' where id = 'Q-1'`],
      [
        'a task named to B and Z, before its instance',
        `insert into task (id, instance_id, template_key, step_id, title, outcomes, candidate_users, created_at, updated_at)
         values ('t-1', 'i-task', 'reach-test', 'steps[0]', 't', '{done}', '{u-b,u-z}', now(), now())`,
      ],
      [
        'the task instance',
        `insert into process_instance (id, template_key, version, business_key, status, started_at, updated_at)
         values ('i-task', 'reach-test', 1, 'order:O-1', 'running', now() - interval '20 minutes', now())`,
      ],
      ['the task claimed by Z', `update task set assignee = 'u-z' where id = 't-1'`],
      ['the task handed to A', `update task set assignee = 'u-a' where id = 't-1'`],
      ['the task cancelled', `update task set status = 'cancelled' where id = 't-1'`],
      [
        'a second task completed by M',
        `insert into task (id, instance_id, template_key, step_id, title, outcomes, status, completed_by, created_at, updated_at)
         values ('t-2', 'i-task', 'reach-test', 'steps[1]', 't', '{done}', 'completed', 'u-m', now(), now())`,
      ],
      ['the order of B', `insert into orders (id, customer_id, owner_id) values ('O-1', 'c-1', 'u-b')`],
      [
        'a child of the lead process, and its child',
        `insert into process_instance (id, template_key, version, business_key, parent_id, status, started_at, updated_at)
         values ('i-child', 'reach-test', 1, 'sub-1', 'i-lead', 'running', now() - interval '10 minutes', now()),
                ('i-grandchild', 'reach-test', 1, null, 'i-child', 'running', now() - interval '5 minutes', now())`,
      ],
      ['the lead given back to A', `update leads set owner_id = 'u-a' where id = 'L-1'`],
      [
        'a task of Z in the child',
        `insert into task (id, instance_id, template_key, step_id, title, outcomes, assignee, created_at, updated_at)
         values ('t-3', 'i-child', 'reach-test', 'steps[0]', 't', '{done}', 'u-z', now(), now())`,
      ],
      [
        'the child moved under the quote process',
        `update process_instance set parent_id = 'i-quote' where id = 'i-child'`,
      ],
      [
        'a ticket process and its survey',
        `insert into tickets (id, subject) values ('T-1', 'Broken');
         insert into process_instance (id, template_key, version, business_key, status, started_at, updated_at)
         values ('i-ticket', 'reach-test', 1, 'T-1', 'running', now() - interval '4 minutes', now()),
                ('i-survey', 'reach-test', 1, 'ticket:T-9', 'running', now() - interval '3 minutes', now())`,
      ],
      [
        'the survey invitation',
        `insert into survey_invitations (id, survey_id, email, trigger_ref, expires_at)
         values ('SI-1', 'sv-1', 'c@reach.example', 'ticket:T-9', now() + interval '1 day')`,
      ],
      ['the invitation re-keyed', `update survey_invitations set trigger_ref = 'ticket:T-8' where id = 'SI-1'`],
      ['the quote deleted', `delete from quotes where id = 'Q-1'`],
      ['the task of Z deleted', `delete from task where id = 't-3'`],
      ['the quote process deleted', `delete from process_instance where id = 'i-quote'`],
      ['the ticket deleted', `delete from tickets where id = 'T-1'`],
    ];
    for (const [what, sql] of steps) {
      await write(sql);
      await expectAgreement(what);
    }
    // The application's role may not truncate; its owner may (a restore, a maintenance script).
    await owner.em.fork().getConnection().execute('truncate task cascade');
    await expectAgreement('the tasks truncated');
    // What the steps left: the lead's process for its owner's readers, A's start, B's order.
    expect(await readersOf('i-lead')).toEqual(['leads', 'leads:u-a']);
    expect(await readersOf('i-start')).toEqual(['user:u-a']);
    expect(await readersOf('i-task')).toEqual(['orders', 'orders:u-b']);
    // The child lost its parent with the quote process: no reader is left for it.
    expect(await readersOf('i-child')).toEqual([]);
    expect((await reached())['rep A']!.listed).toEqual(['i-lead', 'i-start']);
  });

  it('lists a reach a page at a time, newest first, each instance once however many readers hold it', async () => {
    // Twelve instances of M's team's leads, with ties in start time; each is held by two of the
    // manager's readers (`leads:<owner>` and, by a task, `user:u-m`).
    await write(`insert into leads (id, source, company, contact_name, owner_id)
                 select 'L-page-' || i, 'web', 'Acme', 'Li', (array['u-a', 'u-b', 'u-m'])[1 + i % 3]
                   from generate_series(1, 12) i`);
    await write(`insert into process_instance (id, template_key, version, business_key, status, started_at, updated_at)
                 select 'i-page-' || i, 'reach-test', 1, 'L-page-' || i, 'running',
                        now() - make_interval(hours => 2 + i / 3), now() from generate_series(1, 12) i`);
    for (let i = 1; i <= 12; i += 2) await insertTask(`t-page-${i}`, `i-page-${i}`, { assignee: 'u-m' });
    const em = app.em.fork();
    const manager = REACHES['manager of A and B']!;
    const listed = await listAll(em, manager);
    const rule = reachedByRule(manager);
    const byRule = await em.execute<{ id: string }[]>(
      `select id from process_instance where ${rule.sql} order by started_at desc, id desc`,
      rule.params,
    );
    expect(listed).toEqual(byRule.map((row) => row.id));
    expect(listed.filter((id) => id.startsWith('i-page-'))).toHaveLength(12);
    // Filters apply before a page is cut: the running ones of a template, 2 at a time.
    await write(`update process_instance set status = 'completed' where id in ('i-page-2', 'i-page-3', 'i-page-4')`);
    const running: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await instances.list(em, {
        reach: manager,
        status: 'running',
        templateKey: 'reach-test',
        limit: 2,
        cursor,
      });
      running.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(running).toEqual(listed.filter((id) => !['i-page-2', 'i-page-3', 'i-page-4'].includes(id)));
  });

  it('is filled from the instances there are when its migration runs', async () => {
    await owner.migrator.down({ to: 'Migration20261235000000_task_named_queue' });
    // Written while no trigger notes them: the migration must find them itself.
    await write(`insert into process_instance (id, template_key, version, business_key, parent_id, status, started_at, updated_at)
                 values ('i-before', 'reach-test', 1, 'L-1', null, 'running', now(), now()),
                        ('i-before-child', 'reach-test', 1, null, 'i-before', 'running', now(), now())`);
    await insertTask('t-before', 'i-before-child', { users: ['u-s'] });
    // It and every later migration, which the down undid too.
    expect(await migrateDatabase(owner)).toEqual(migrationsFrom('Migration20261236000000_instance_reader'));
    expect(await readersOf('i-before-child')).toEqual(['leads', 'leads:u-a', 'user:u-s']);
    await expectAgreement('after the migration');
  });

  it('misses no change when a process and its record are written at once in two transactions', async () => {
    await write(
      `insert into leads (id, source, company, contact_name, owner_id) values ('L-race', 'web', 'Acme', 'Li', 'u-a')`,
    );
    // The instance is inserted, and before it commits the lead is given to B and committed: the
    // instance's transaction saw A as the owner, the lead's saw no instance.
    const instanceTx = app.em.fork();
    await instanceTx.begin();
    await instanceTx.execute(
      `insert into process_instance (id, template_key, version, business_key, status, started_at, updated_at)
       values ('i-race', 'reach-test', 1, 'L-race', 'running', now(), now())`,
    );
    await write(`update leads set owner_id = 'u-b' where id = 'L-race'`);
    await instanceTx.commit();
    expect((await reached())['rep B']!.listed).toContain('i-race');
    expect((await reached())['rep A']!.listed).not.toContain('i-race');
    await expectAgreement('the race');
  });
});
