/**
 * `npm run bench [-- <name>...]`: the benchmarks, each starting its own embedded servers (free
 * ports, a temporary folder) and printing its figures as ratios taken in the same run. Without a
 * name every benchmark runs, one after the other (`inbox` only when named: `lists` includes it).
 * Not a test: nothing here asserts a time.
 */
/**
 * `load` imports a benchmark's module, which reads its sizes from the environment (bench-env.ts):
 * every chosen one is loaded before the first runs, so a bad size stops the run before it starts.
 * `alone`: run only when named (its figures are part of another benchmark's run).
 */
const BENCHMARKS: Record<string, { about: string; load: () => Promise<() => Promise<void>>; alone?: true }> = {
  interpreter: {
    about: 'the template interpreter against the same steps written by hand; API start and task latency',
    load: async () => (await import('./interpreter')).runInterpreterBenchmark,
  },
  leads: {
    about:
      'POST /leads at 1, 10 and 30 clients until assigned and mailed, empty and at 100 000 rows; the Temporal ceiling',
    load: async () => (await import('./leads')).runLeadsBenchmark,
  },
  lists: {
    about: 'the inbox, /instances, /leads and /orders at 100 000 rows per table under autocannon, beside a bare route',
    load: async () => (await import('./lists')).runListsBenchmark,
  },
  inbox: {
    about: 'the inbox part of `lists` only: its first and a deep page under autocannon, beside a bare route',
    load: async () => {
      const { runListsBenchmark } = await import('./lists');
      return () => runListsBenchmark({ only: 'inbox' });
    },
    alone: true,
  },
};

async function main(): Promise<void> {
  const names = process.argv.slice(2);
  const unknown = names.filter((name) => !(name in BENCHMARKS));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark ${unknown.join(', ')}. Known:`);
    for (const [name, { about }] of Object.entries(BENCHMARKS)) console.error(`  ${name.padEnd(12)} ${about}`);
    process.exit(2);
  }
  const chosen = names.length > 0 ? names : Object.keys(BENCHMARKS).filter((name) => !BENCHMARKS[name]!.alone);
  const runs: [string, () => Promise<void>][] = [];
  for (const name of chosen) runs.push([name, await BENCHMARKS[name]!.load()]);
  for (const [name, run] of runs) {
    console.log(`\n=== ${name}: ${BENCHMARKS[name]!.about}`);
    await run();
  }
}

main().catch((error: unknown) => {
  // A size the environment gave wrong (bench-env.ts): its message says what to fix, a stack would not.
  console.error(error instanceof Error && error.name === 'BenchSizeError' ? error.message : error);
  process.exit(1);
});
