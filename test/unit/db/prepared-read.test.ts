import { describe, expect, it } from '@jest/globals';
import { positionalStatement } from '../../../db/repositories/prepared-read';

/** How readPrepared rewrites MikroORM's `?` statements into PostgreSQL's `$n` form, and when it declines. */
describe('positionalStatement', () => {
  it('numbers each placeholder; a ? inside a literal, an identifier or a comment stays text', () => {
    const statement = positionalStatement(
      `select 'why?' as "a?", 'it''s ?' as b -- who?\n from t where x = ? and y = ?::timestamptz limit 51`,
      ['u-1', '2026-12-01T00:00:00Z'],
    );
    expect(statement).toMatchObject({
      text: `select 'why?' as "a?", 'it''s ?' as b -- who?\n from t where x = $1 and y = $2::timestamptz limit 51`,
      values: ['u-1', '2026-12-01T00:00:00Z'],
    });
  });

  it("writes a list's values out one placeholder each, as MikroORM writes them inline", () => {
    expect(
      positionalStatement('select 1 from task where status in (?) and assignee = ?', [['open', 'done'], 'u-1']),
    ).toMatchObject({
      text: 'select 1 from task where status in ($1, $2) and assignee = $3',
      values: ['open', 'done', 'u-1'],
    });
  });

  it('types a number or a boolean as PostgreSQL types its inline literal; a string or null stays untyped', () => {
    expect(positionalStatement('select ?, ?, ?, ?, ?, ?', [1, 3_000_000_000, 1.5, true, null, 'x'])).toMatchObject({
      text: 'select $1::int, $2::bigint, $3::numeric, $4::boolean, $5, $6',
      values: [1, 3_000_000_000, 1.5, true, null, 'x'],
    });
  });

  it.each([
    ['an identifier placeholder ??', 'select ?? from t', ['id']],
    ['an escaped \\?', "select data \\? 'key' from t where id = ?", ['a']],
    ['fewer values than placeholders', 'select 1 from t where a = ? and b = ?', ['a']],
    ['more values than placeholders', 'select 1 from t where a = ?', ['a', 'b']],
    ['an object', 'select 1 from t where a = ?', [{ a: 1 }]],
    ['a Date', 'select 1 from t where a = ?', [new Date(0)]],
    ['an empty list', 'select 1 from t where a in (?)', [[]]],
    ['a list of lists', 'select 1 from t where a in (?)', [[['a']]]],
    ['undefined', 'select 1 from t where a = ?', [undefined]],
    ['a number that is not finite', 'select 1 from t where a = ?', [Number.NaN]],
  ])('declines %s (em.execute sends it)', (_case, sql, params) => {
    expect(positionalStatement(sql, params)).toBeNull();
  });

  it('names a statement by its text: the same text the same name, another text another', () => {
    const first = positionalStatement('select * from task where assignee = ? limit 51', ['u-1']);
    const again = positionalStatement('select * from task where assignee = ? limit 51', ['u-2']);
    const other = positionalStatement('select * from task where assignee = ? limit 21', ['u-1']);
    expect(first?.name).toMatch(/^read_[0-9a-f]{24}$/);
    expect(again?.name).toBe(first?.name);
    expect(other?.name).not.toBe(first?.name);
  });
});
