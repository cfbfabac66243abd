import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import { seedBulkRows } from '../../../bench/bulk-rows';
import { CustomerRepository } from '../../../db/crm/customers/customer.repository';
import { LeadRepository } from '../../../db/crm/leads/lead.repository';
import { OrderRepository } from '../../../db/crm/orders/order.repository';
import { QuoteRepository } from '../../../db/crm/quotes/quote.repository';
import { SurveyRepository } from '../../../db/crm/surveys/survey.repository';
import { TicketRepository } from '../../../db/crm/tickets/ticket.repository';
import { migrateDatabase, openOrm, type Orm } from '../../../db/orm';
import { listAuditEntries } from '../../../db/repositories/audit-trail';
import { INBOX_VIEWS, viewCondition, visibleCondition, type InboxUser } from '../../../db/repositories/inbox-scope';
import type { InstanceReach } from '../../../db/repositories/instance-reach';
import { InstanceRepository } from '../../../db/repositories/instance-repository';
import {
  observePreparedReads,
  positionalStatement,
  type PositionalStatement,
  type ReadPlanning,
} from '../../../db/repositories/prepared-read';
import { TaskRepository } from '../../../db/repositories/task-repository';
import { TASK_SORTS, TaskOrder } from '../../../db/repositories/task-order';
import { seedEngineUsers } from '../../../db/seed/engine-users';
import { ownersReach } from '../../support/instance-reaches';
import { createScratchDatabase, type ScratchDatabase } from '../../support/scratch-database';
import { TEST_AUTH_SECRET } from '../../support/test-auth';

/** Enough rows that the planner prefers an index it has over reading the table (checked against the old indexes). */
const ROWS = 20_000;
/** A small page: a sort of more rows than the pages read is the sort of a whole set. */
const PAGE = 10;

const manager: InboxUser = { id: 'u-mgr-east', roles: ['sales-manager'], attributes: { region: 'east' } };
const admin: InboxUser = { id: 'u-admin', roles: ['admin', 'designer'], attributes: {}, overseen: 'everyone' };
const team = ['u-mgr-east', 'u-rep-east-1', 'u-rep-east-2'];
const tasks = new TaskRepository();

/** The reaches of callers who may not see every instance (as instanceReachOf gives them). */
const REACHES: Record<string, InstanceReach> = {
  'a rep': ownersReach('u-rep-east-1', ['u-rep-east-1']),
  'a manager with a team': ownersReach('u-mgr-east', team),
  support: { userId: 'u-tech-1', leads: 'none', quotes: 'none', orders: 'none', tickets: 'all', invitations: 'all' },
  // Started the oldest instance (beforeAll) and reaches nothing else.
  'a newcomer': {
    userId: 'u-newcomer',
    leads: 'none',
    quotes: 'none',
    orders: 'none',
    tickets: 'none',
    invitations: 'none',
  },
};

/**
 * What each list endpoint asks its repository for (api/routes), as the users the benchmarks act as:
 * its name, its read and, for a search of a word no row holds, `empty` (its page has no rows).
 */
const LISTS: [name: string, read: (em: EntityManager) => Promise<{ items: unknown[] }>, page?: 'empty'][] = [
  ...TASK_SORTS.flatMap((sort) =>
    (['asc', 'desc'] as const).flatMap((order): typeof LISTS => [
      [
        `inbox open by ${sort} ${order}`,
        (em) => tasks.inbox(em, manager, { status: 'open', sort, order, limit: PAGE }),
      ],
      [`inbox by ${sort} ${order}`, (em) => tasks.inbox(em, manager, { sort, order, limit: PAGE })],
      [`every open task by ${sort} ${order}`, (em) => tasks.list(em, { status: 'open', sort, order, limit: PAGE })],
    ]),
  ),
  ...(['mine', 'queue', 'done'] as const).flatMap((view): typeof LISTS => [
    [`view ${view}`, (em) => tasks.inbox(em, manager, { view, limit: PAGE })],
    [`view ${view} by due`, (em) => tasks.inbox(em, manager, { view, sort: 'due', limit: PAGE })],
  ]),
  ...TASK_SORTS.map((sort): (typeof LISTS)[number] => [
    `inbox open by ${sort}, the page after the first`,
    async (em) => {
      const first = await tasks.inbox(em, manager, { status: 'open', sort, limit: PAGE });
      return tasks.inbox(em, manager, { status: 'open', sort, limit: PAGE, cursor: first.nextCursor! });
    },
  ]),
  ['view unassigned (everyone)', (em) => tasks.inbox(em, admin, { view: 'unassigned', limit: PAGE })],
  ['every task', (em) => tasks.list(em, { limit: PAGE })],
  ['instances', (em) => new InstanceRepository().list(em, { limit: PAGE })],
  ['running instances', (em) => new InstanceRepository().list(em, { status: 'running', limit: PAGE })],
  // As GET /instances lists them: each running instance's incidents counted in the page's statement.
  ['instances with incident counts', (em) => new InstanceRepository().list(em, { countIncidents: true, limit: PAGE })],
  // As GET /instances lists them for callers who may not see every instance (api/access/process-access.ts).
  ...Object.entries(REACHES).map(([who, reach]): (typeof LISTS)[number] => [
    `instances ${who} reaches`,
    (em) => new InstanceRepository().list(em, { reach, countIncidents: true, limit: PAGE }),
  ]),
  // Filtered, the list follows the filters' index and tests each instance against the readers.
  [
    'running lead assignments a manager with a team reaches',
    (em) =>
      new InstanceRepository().list(em, {
        reach: REACHES['a manager with a team']!,
        status: 'running',
        templateKey: 'lead-assignment',
        countIncidents: true,
        limit: PAGE,
      }),
  ],
  // A team of 50 owners (151 readers): planned for each call, the readers are hashed.
  [
    'running lead assignments a manager with a team of 50 reaches',
    (em) =>
      new InstanceRepository().list(em, {
        reach: ownersReach('u-mgr-east', [...team, ...Array.from({ length: 47 }, (_, i) => `u-owner-${i}`)]),
        status: 'running',
        templateKey: 'lead-assignment',
        countIncidents: true,
        limit: PAGE,
      }),
  ],
  [
    'running instances a manager with a team reaches, the page after the first',
    async (em) => {
      const reach = REACHES['a manager with a team']!;
      const first = await new InstanceRepository().list(em, { reach, status: 'running', limit: PAGE });
      return new InstanceRepository().list(em, { reach, status: 'running', limit: PAGE, cursor: first.nextCursor! });
    },
  ],
  ['audit trail', (em) => listAuditEntries(em, { limit: PAGE })],
  ['audit trail of one actor', (em) => listAuditEntries(em, { actor: 'u-tech-1', limit: PAGE })],
  ['leads', (em) => new LeadRepository(em).list({ limit: PAGE })],
  ['leads of a rep', (em) => new LeadRepository(em).list({ ownerIds: ['u-rep-east-1'], limit: PAGE })],
  ['leads of a team', (em) => new LeadRepository(em).list({ ownerIds: team, limit: PAGE })],
  ['customers', (em) => new CustomerRepository(em).list({ limit: PAGE })],
  ['customers of a team', (em) => new CustomerRepository(em).list({ ownerIds: team, limit: PAGE })],
  ['quotes of a team', (em) => new QuoteRepository(em).list({ ownerIds: team, limit: PAGE })],
  ['orders of a rep', (em) => new OrderRepository(em).list({ ownerIds: ['u-rep-east-2'] }, { limit: PAGE })],
  ['orders of a team', (em) => new OrderRepository(em).list({ ownerIds: team }, { limit: PAGE })],
  // Text searches (migration 20261238): a word no row holds is found absent from the trigram
  // indexes, not by reading every row; a word every row holds is read along the order's index.
  ['every task titled with a word none has', (em) => tasks.list(em, { text: 'zqx', limit: PAGE }), 'empty'],
  ['every task titled with a word all have', (em) => tasks.list(em, { text: 'task', limit: PAGE })],
  [
    'open tasks titled with a word none has',
    (em) => tasks.list(em, { status: 'open', text: 'zqx', limit: PAGE }),
    'empty',
  ],
  [
    'customers named with a word none has',
    (em) => new CustomerRepository(em).list({ name: 'zqx', limit: PAGE }),
    'empty',
  ],
  ['customers named with a word all have', (em) => new CustomerRepository(em).list({ name: 'customer', limit: PAGE })],
  [
    'customers of a team named with a word none has',
    (em) => new CustomerRepository(em).list({ ownerIds: team, name: 'zqx', limit: PAGE }),
    'empty',
  ],
  ['tickets', (em) => new TicketRepository(em).list({ limit: PAGE })],
  ['survey invitations', (em) => new SurveyRepository(em).listInvitations({ limit: PAGE })],
];

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  /** With ANALYZE; a generic plan (EXPLAIN (GENERIC_PLAN)) has only the estimate, `Plan Rows`. */
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Plan Rows': number;
  'Rows Removed by Filter'?: number;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

/**
 * Tables the bulk seed does not fill: the demo staff (a page or two). A list looks a listed row's
 * person up by primary key; over a table this small the planner rightly reads it whole instead,
 * and at any real staff size it takes the key.
 */
const UNSCALED_TABLES = new Set(['engine_user']);

/**
 * What in a plan reads or sorts more than the pages it returns: a sequential scan, a sort of more
 * rows, or a filter that drops many.
 */
function problemsOf(node: PlanNode): string[] {
  const problems: string[] = [];
  const below = (n: PlanNode): PlanNode[] => (n.Plans ?? []).flatMap((child) => [child, ...below(child)]);
  if (node['Node Type'] === 'Seq Scan' && !UNSCALED_TABLES.has(node['Relation Name'] ?? '')) {
    problems.push(`Seq Scan on ${node['Relation Name']}`);
  }
  // A filter that drops the rows of many pages reads on until it has one: a walk whose length
  // depends on the data, not on the page (as GET /instances of a caller who reaches few was). A
  // filter on a common value may drop a dozen rows for each it keeps (the audit trail of a busy
  // actor: 182 for a page), which the planner rightly prefers to a second index.
  const dropped = (node['Rows Removed by Filter'] ?? 0) * (node['Actual Loops'] ?? 1);
  if (dropped > 50 * (PAGE + 1) && !UNSCALED_TABLES.has(node['Relation Name'] ?? '')) {
    problems.push(`${node['Node Type']} on ${node['Relation Name']} dropping ${dropped} rows`);
  }
  // A list of values searched for in an index again for each row of an outer walk: PostgreSQL
  // prepares the list's keys anew for every search, at a cost that grows with the list (the reader
  // probe of a filtered GET /instances was, migration 20261237: 59 ms a page for a team of 50).
  const loops = node['Actual Loops'] ?? 1;
  if (/= ANY \(/.test(node['Index Cond'] ?? '') && loops > PAGE + 1) {
    problems.push(`${node['Index Name']} searched for a list of values ${loops} times`);
  }
  if (node['Node Type'].endsWith('Sort')) {
    const input = node.Plans![0]!;
    const rows =
      input['Actual Rows'] !== undefined ? input['Actual Rows'] * input['Actual Loops']! : input['Plan Rows'];
    // The merge of several branches' pages sorts at most a page from each.
    const pages = Math.max(1, below(node).filter((n) => n['Node Type'] === 'Limit').length);
    if (rows > pages * (PAGE + 1)) problems.push(`${node['Node Type']} of ${rows} rows`);
  }
  return [...problems, ...(node.Plans ?? []).flatMap(problemsOf)];
}

/**
 * Every list endpoint's query, as its repository sends it (captured from em.execute and from
 * readPrepared), over 20 000 rows per table: no sequential scan of a table and no sort of more
 * than the page, so a page costs the same at any table size. A scratch database: the bulk rows would show in other
 * test files' inboxes and lists.
 */
describe('list query plans', () => {
  let scratch: ScratchDatabase;
  let orm: Orm;

  beforeAll(async () => {
    scratch = await createScratchDatabase('list_plans');
    orm = await openOrm(scratch.url, { poolMax: 2 });
    await migrateDatabase(orm);
    await seedEngineUsers(orm.em.fork(), TEST_AUTH_SECRET);
    await seedBulkRows(orm, { rowsPerTable: ROWS });
    await orm.em.fork().execute(`insert into timeline_entry (instance_id, seq, at, type, detail)
      values ('BK-PI-1', 0, now(), 'instance.started', '{"startedBy": "u-newcomer"}')`);
  }, 120_000);

  afterAll(async () => {
    await orm?.close();
    await scratch?.drop();
  });

  it.each(TASK_SORTS)('the inbox by %s holds the same tasks in the same order as its visibility rule', async (sort) => {
    const em = orm.em.fork();
    const order = new TaskOrder(sort);
    const scopes = [
      { filters: { status: 'open' as const }, condition: visibleCondition(manager), extra: `status = 'open'` },
      { filters: {}, condition: visibleCondition(manager), extra: 'true' },
      ...(['mine', 'queue', 'done'] as const).map((view) => ({
        filters: { view },
        condition: viewCondition(view, manager),
        extra: 'true',
      })),
    ];
    for (const { filters, condition, extra } of scopes) {
      const page = await tasks.inbox(em, manager, { ...filters, sort, limit: 200 });
      const expected = await em.execute<{ id: string }[]>(
        `select id from task where ${condition.sql} and ${extra} order by ${order.orderBy} limit 200`,
        condition.params,
      );
      expect(expected.length).toBeGreaterThan(0);
      expect(page.items.map((task) => task.id)).toEqual(expected.map((row) => row.id));
    }
  });

  // `oversees`: whether the unassigned view holds more than one's own queue (others' queues too).
  it.each([
    ['a manager with a team', { ...manager, overseen: team }, true],
    ['a manager', manager, false],
    ['an administrator', admin, true],
  ] as const)("the counts of %s are the counts of each view's visibility rule", async (_who, user, oversees) => {
    const em = orm.em.fork();
    const counts = await tasks.counts(em, user);
    for (const view of INBOX_VIEWS) {
      const condition = viewCondition(view, user);
      const [expected] = await em.execute<{ n: string }[]>(
        `select count(*) as n from task where ${condition.sql}`,
        condition.params,
      );
      expect({ view, n: counts[view] }).toEqual({ view, n: Number(expected!.n) });
    }
    expect(counts.unassigned > counts.queue).toBe(oversees);
  });

  // The page's expectation arrives as a rest argument: a third named parameter would make jest wait
  // for a `done` callback in the rows that do not give one.
  it.each(LISTS)('%s reads by index, a page at a time', async (_name, read, ...expected) => {
    const em = orm.em.fork();
    const sent: { sql: string; params: unknown[] }[] = [];
    const execute = em.execute.bind(em);
    em.execute = ((sql: string, params: unknown[] = [], ...rest: unknown[]) => {
      sent.push({ sql, params });
      return (execute as (...args: unknown[]) => Promise<unknown>)(sql, params, ...rest);
    }) as typeof em.execute;
    const prepared: { statement: PositionalStatement; planning: ReadPlanning }[] = [];
    observePreparedReads((statement, planning) => prepared.push({ statement, planning }));
    const page = await read(em).finally(() => observePreparedReads(undefined));
    if (expected[0] === 'empty') expect(page.items).toEqual([]);
    else expect(page.items.length).toBeGreaterThan(0);
    expect(sent.length + prepared.length).toBeGreaterThan(0);
    const pool = await em.getConnection().getNativeClient();
    const planOf = async (explain: Promise<{ rows: unknown[] }>) =>
      ((await explain).rows[0] as { 'QUERY PLAN': { Plan: PlanNode }[] })['QUERY PLAN'][0]!.Plan;
    // Each statement, whichever way it went (readPrepared sends a list unprepared once it has
    // prepared PREPARED_TEXTS_PER_PROCESS texts), is checked for the plan of the values it was sent
    // with, and, as it would be prepared, for the generic plan (one plan for any values) PostgreSQL
    // may keep for a prepared statement.
    const checks = [
      ...sent.map(({ sql, params }) => ({
        sql,
        custom: () => execute<unknown[]>(`explain (analyze, format json) ${sql}`, params).then((rows) => ({ rows })),
        positional: positionalStatement(sql, params),
        planning: 'kept' as ReadPlanning,
      })),
      ...prepared.map(({ statement, planning }) => ({
        sql: statement.text,
        custom: () => pool.query(`explain (analyze, format json) ${statement.text}`, statement.values),
        positional: statement,
        planning,
      })),
    ];
    for (const { sql, custom, positional, planning } of checks) {
      expect({ sql, problems: problemsOf(await planOf(custom())) }).toEqual({ sql, problems: [] });
      // A statement planned for each call's values (a search) never runs a generic plan.
      if (positional === null || planning === 'per-call') continue;
      const generic = await planOf(pool.query(`explain (generic_plan, format json) ${positional.text}`));
      expect({ sql, generic: problemsOf(generic) }).toEqual({ sql, generic: [] });
    }
  });
});
