import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DriverException, TableNotFoundException } from '@mikro-orm/postgresql';
import {
  observePreparedReads,
  preparedTextCount,
  PREPARED_TEXTS_PER_PROCESS,
  readPrepared,
  type PositionalStatement,
  type ReadPlanning,
} from '../../../../db/repositories/prepared-read';
import { openOrm } from '../../../../db/orm';
import { InstanceRepository } from '../../../../db/repositories/instance-repository';
import { TaskRepository } from '../../../../db/repositories/task-repository';
import { ownersReach } from '../../../support/instance-reaches';
import { testServers } from '../../../support/test-env';
import { insertUser, newUser, openEngineTestKit, unique, type EngineTestKit } from '../../../support/engine-test-kit';

/** readPrepared on real PostgreSQL: the rows em.execute would give, prepared once per connection. */
describe('readPrepared', () => {
  let kit: EngineTestKit;
  const seen: (PositionalStatement & { planning: ReadPlanning })[] = [];
  beforeAll(async () => {
    kit = await openEngineTestKit();
    observePreparedReads((statement, planning) => seen.push({ ...statement, planning }));
  });
  afterAll(async () => {
    observePreparedReads(undefined);
    await kit.close();
  });

  it('gives the rows em.execute gives: timestamps as text, jsonb, arrays, counts', async () => {
    const sql = `select ?::timestamptz::text as at, ?::jsonb as doc, array[?, ?]::text[] as list,
        count(*) as n, ? as flag, ?::int as num from (values (1), (2)) v(x) where x in (?)`;
    const params = ['2026-12-01T08:00:00.123456Z', '{"a":[1,"zh-CN 中文"]}', 'x', 'y', true, 7, [1, 2]];
    const before = seen.length;
    const prepared = await readPrepared(kit.em(), sql, params);
    expect(seen.length).toBe(before + 1);
    expect(prepared).toEqual(await kit.em().execute(sql, params));
    expect(prepared).toEqual([
      {
        at: '2026-12-01 08:00:00.123456+00',
        doc: { a: [1, 'zh-CN 中文'] },
        list: ['x', 'y'],
        n: '2',
        flag: true,
        num: 7,
      },
    ]);
  });

  it('runs a text prepared once again by name, with other values', async () => {
    const name = unique('prepared');
    const em = kit.em();
    expect(await readPrepared(em, 'select ? as name, 1 as once', [name])).toEqual([{ name, once: 1 }]);
    const first = seen.at(-1);
    expect(await readPrepared(em, 'select ? as name, 1 as once', [`${name}-2`])).toEqual([
      { name: `${name}-2`, once: 1 },
    ]);
    expect(seen.at(-1)?.name).toBe(first?.name);
    const pool = await em.getConnection().getNativeClient();
    // A prepared statement lives on the connection that prepared it: one of the pool's.
    const client = await pool.connect();
    try {
      await client.query({ name: first!.name, text: first!.text, values: ['x'] });
      const { rows } = await client.query<{ n: string }>(
        'select count(*) as n from pg_prepared_statements where name = $1',
        [first!.name],
      );
      expect(rows).toEqual([{ n: '1' }]);
    } finally {
      client.release();
    }
  });

  it('plans a per-call read for its values: no connection keeps it, and it is not counted against the bound', async () => {
    // One connection, so that what it keeps is what the pool keeps.
    const orm = await openOrm(testServers().databaseUrl, { poolMax: 1 });
    try {
      const em = orm.em.fork();
      const sql = `select ? as word, ?::int as n, '${unique('per-call')}' as marker`;
      const count = preparedTextCount();
      const before = seen.length;
      const rows = await readPrepared(em, sql, ['zqx', 2], 'per-call');
      expect(rows).toEqual(await em.execute(sql, ['zqx', 2]));
      expect(seen.slice(before).map(({ planning }) => planning)).toEqual(['per-call']);
      expect(preparedTextCount()).toBe(count);
      const pool = await em.getConnection().getNativeClient();
      const kept = async () =>
        (await pool.query<{ n: string }>('select count(*)::int as n from pg_prepared_statements')).rows[0]!.n;
      expect(await kept()).toBe(0);
      // The same text read the usual way is kept: the connection's only statement.
      await readPrepared(em, sql, ['kept', 3]);
      expect(await kept()).toBe(1);
    } finally {
      await orm.close();
    }
  });

  it('plans a task search for each call, a plain inbox page once', async () => {
    const user = { id: 'u-nobody', roles: ['sales-manager'], attributes: {} };
    const before = seen.length;
    await new TaskRepository().inbox(kit.em(), user, { status: 'open' });
    await new TaskRepository().inbox(kit.em(), user, { status: 'open', text: 'zqx' });
    expect(seen.slice(before).map(({ planning }) => planning)).toEqual(['kept', 'per-call']);
  });

  it("plans a filtered instance page for each call when the caller's readers are many, once when few", async () => {
    // 7 readers (the user's own and one per owner and kind), and 25.
    const small = ownersReach('u-nobody', ['u-a', 'u-b']);
    const large = ownersReach(
      'u-nobody',
      Array.from({ length: 8 }, (_, i) => `u-${i}`),
    );
    const instances = new InstanceRepository();
    const before = seen.length;
    await instances.list(kit.em(), { reach: small, status: 'running' });
    await instances.list(kit.em(), { reach: large, status: 'running' });
    // Unfiltered, a page merges the readers' branches: one plan kept for it whatever their number.
    await instances.list(kit.em(), { reach: large });
    expect(seen.slice(before).map(({ planning }) => planning)).toEqual(['kept', 'per-call', 'kept']);
  });

  it('reads through the transaction inside one (em.execute), so it sees what the transaction wrote', async () => {
    const user = newUser('prepared-tx');
    const before = seen.length;
    const outcome = await kit
      .em()
      .transactional(async (em) => {
        await insertUser(em, user);
        const rows = await readPrepared<{ id: string }>(em, 'select id from engine_user where id = ?', [user.id]);
        expect(rows).toEqual([{ id: user.id }]);
        throw new Error('roll back');
      })
      .catch((error: unknown) => String(error));
    expect(outcome).toContain('roll back');
    expect(seen.length).toBe(before);
    expect(await readPrepared(kit.em(), 'select id from engine_user where id = ?', [user.id])).toEqual([]);
    expect(seen.length).toBe(before + 1);
  });

  it('still reads after a migration changed the columns of a table a connection had prepared a select * on', async () => {
    const table = unique('prepared_probe').replace(/[^a-z0-9_]/g, '_');
    const em = kit.em();
    await em.execute(`create table ${table} (id text primary key)`);
    try {
      await em.execute(`insert into ${table} (id) values ('a')`);
      const read = () => readPrepared<Record<string, unknown>>(kit.em(), `select * from ${table} where id = ?`, ['a']);
      // Prepared on several connections of the pool (reads taken at once).
      await Promise.all([read(), read(), read()]);
      await em.execute(`alter table ${table} add column note text default 'new'`);
      expect(await Promise.all([read(), read(), read()])).toEqual(Array(3).fill([{ id: 'a', note: 'new' }]));
      expect(await read()).toEqual([{ id: 'a', note: 'new' }]);
    } finally {
      await em.execute(`drop table ${table}`);
    }
  });

  it('prepares nothing for an ORM opened with preparedStatements: false (a pooler that does not keep them)', async () => {
    const orm = await openOrm(testServers().databaseUrl, { poolMax: 1, preparedStatements: false });
    try {
      const before = seen.length;
      const rows = await readPrepared(orm.em.fork(), 'select ? as name, ?::int as n', ['unprepared', 3]);
      expect(rows).toEqual([{ name: 'unprepared', n: 3 }]);
      expect(seen.length).toBe(before);
      const pool = await orm.em.getConnection().getNativeClient();
      const { rows: statements } = await pool.query<{ n: string }>('select count(*) as n from pg_prepared_statements');
      expect(statements).toEqual([{ n: '0' }]);
    } finally {
      await orm.close();
    }
  });

  it('reads an inbox page prepared', async () => {
    const before = seen.length;
    const page = await new TaskRepository().inbox(
      kit.em(),
      { id: 'u-nobody', roles: ['sales-manager'], attributes: {} },
      {
        status: 'open',
      },
    );
    expect(page.items).toEqual(expect.any(Array));
    expect(seen.slice(before).map((statement) => statement.text)).toEqual([expect.stringContaining('from task where')]);
  });

  it('prepares at most PREPARED_TEXTS_PER_PROCESS distinct texts; a new text after that is sent unprepared', async () => {
    const em = kit.em();
    const first = 'select ? as kept';
    await readPrepared(em, first, ['a']);
    // Fill what is left of the bound with texts that differ only in a literal (as limits do).
    for (let i = preparedTextCount(); i < PREPARED_TEXTS_PER_PROCESS; i++) {
      await readPrepared(em, `select ? as filler, ${i} as i`, ['x']);
    }
    expect(preparedTextCount()).toBe(PREPARED_TEXTS_PER_PROCESS);
    const before = seen.length;
    expect(await readPrepared(em, 'select ? as one_too_many', ['b'])).toEqual([{ one_too_many: 'b' }]);
    expect(seen.length).toBe(before);
    expect(preparedTextCount()).toBe(PREPARED_TEXTS_PER_PROCESS);
    // A text prepared before the bound was reached still is.
    expect(await readPrepared(em, first, ['c'])).toEqual([{ kept: 'c' }]);
    expect(seen.length).toBe(before + 1);
  });

  it("converts PostgreSQL's errors as MikroORM does", async () => {
    const failure = await readPrepared(kit.em(), 'select * from no_such_table where id = ?', ['x']).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TableNotFoundException);
    expect(failure).toBeInstanceOf(DriverException);
  });
});
