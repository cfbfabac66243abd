/**
 * The benchmarks' sizes from the environment (`BENCH_ROWS=20000 npm run bench -- lists`). A value
 * that is not a whole number in range stops the run at once, naming the variable, rather than
 * running with NaN (autocannon for NaN seconds, a seed of "abc" rows) or failing minutes later in
 * the database.
 */

/** A size the environment gives wrong: `npm run bench` prints its message alone (bench/run.ts), with no stack. */
class BenchSizeError extends Error {
  override name = 'BenchSizeError';
}

/** A whole number ≥ `min` from `name`, or `fallback` when it is unset or empty. */
export function benchCount(name: string, fallback: number, min = 1): number {
  const raw = process.env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  return parseCount(name, raw, min, raw);
}

/** A comma-separated list of whole numbers ≥ `min` (`BENCH_CONNECTIONS=10,50`), or `fallback`. */
export function benchCounts(name: string, fallback: readonly number[], min = 1): number[] {
  const raw = process.env[name]?.trim();
  if (raw === undefined || raw === '') return [...fallback];
  return raw.split(',').map((part) => parseCount(name, part.trim(), min, raw, 'a comma-separated list of '));
}

function parseCount(name: string, part: string, min: number, raw: string, list = ''): number {
  const value = /^\d+$/.test(part) ? Number(part) : NaN;
  if (!Number.isSafeInteger(value) || value < min) {
    const what = list ? `${list}whole numbers of at least ${min}` : `a whole number of at least ${min}`;
    throw new BenchSizeError(`${name} must be ${what}, not '${raw}'`);
  }
  return value;
}
