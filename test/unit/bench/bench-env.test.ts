import { afterEach, describe, expect, it } from '@jest/globals';
import { benchCount, benchCounts } from '../../../bench/bench-env';

/** The benchmarks' sizes from the environment: defaults, lists, and a clear stop on a bad value. */
describe('benchmark sizes from the environment', () => {
  const name = 'BENCH_ENV_TEST_SIZE';
  afterEach(() => {
    delete process.env[name];
  });

  it('takes the default when unset or empty, else the number given', () => {
    expect(benchCount(name, 300)).toBe(300);
    process.env[name] = '  ';
    expect(benchCount(name, 300)).toBe(300);
    process.env[name] = '20000';
    expect(benchCount(name, 300)).toBe(20_000);
  });

  it('reads a comma-separated list, spaces allowed', () => {
    expect(benchCounts(name, [10, 50])).toEqual([10, 50]);
    process.env[name] = '1, 10,30';
    expect(benchCounts(name, [10, 50])).toEqual([1, 10, 30]);
  });

  it('allows 0 only where the minimum says so (LEADS_BULK_ROWS=0: the empty CRM only)', () => {
    process.env[name] = '0';
    expect(benchCount(name, 100_000, 0)).toBe(0);
    expect(() => benchCount(name, 100_000)).toThrow(`${name} must be a whole number of at least 1`);
  });

  it.each(['abc', '-5', '1.5', '1e3', '10,', '99999999999999999999'])(
    'refuses %p, naming the variable and the value',
    (raw) => {
      process.env[name] = raw;
      const read = raw.includes(',') ? () => benchCounts(name, [1]) : () => benchCount(name, 1);
      const what = raw.includes(',') ? 'a comma-separated list of whole numbers' : 'a whole number';
      expect(read).toThrow(`${name} must be ${what} of at least 1, not '${raw}'`);
    },
  );
});
