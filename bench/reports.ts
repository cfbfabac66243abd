/**
 * `npm run bench:reports`: every report over BENCH_ROWS (default 100 000) generated rows per main
 * table (bench/report-data.ts), through HTTP (inject: routing, scope, SQL, JSON), as the admin
 * (every record) and as a sales rep (own records; tasks: the inbox rule). Prints p50/p99 per
 * report and view in one run, with each p50's ratio to the target (a p50 under 200 ms) and the
 * machine's load average. Not a test: nothing asserts a time.
 */
import { loadavg } from 'node:os';
import pino from 'pino';
import { Client } from '@temporalio/client';
import { connectTemporalClient } from '../runtime/temporal-client-connection';
import { ACTIVITY_CATALOG } from '../activities';
import { buildApp } from '../api/app';
import { openOrm } from '../db/orm';
import { seedEngineUsers } from '../db/seed/engine-users';
import { startEphemeralEnvironment } from '../runtime/ephemeral-environment';
import { installTemporalRuntime } from '../runtime/temporal-logging';
import { BENCH_AUTH_SECRET } from './api-latency';
import { seedReportData } from './report-data';
import { formatStats, summarise } from './stats';
import { benchCount } from './bench-env';

const ROWS = benchCount('BENCH_ROWS', 100_000);
const RUNS = benchCount('BENCH_RUNS', 15);
const TARGET_MS = 200;

const CASES = [
  'sales-funnel',
  'lead-conversion',
  'sales?by=region',
  'sales?by=product',
  'sales?by=rep',
  'pipeline-forecast',
  'quote-approvals',
  'quote-approvals?view=reasons',
  'order-fulfilment',
  'ticket-sla',
  'survey-scores?view=questions',
  'survey-scores?view=trend',
  'survey-scores?view=low',
  'survey-scores?view=keywords',
  'open-tasks-heatmap',
];
const READERS = [
  { who: 'admin', key: 'demo-admin-key' },
  { who: 'rep', key: 'demo-rep-east-1-key' },
  { who: 'tech', key: 'demo-tech-1-key' },
] as const;

async function main(): Promise<void> {
  const logger = pino({ level: 'warn' });
  installTemporalRuntime(logger);
  const environment = await startEphemeralEnvironment(logger);
  const { addresses } = environment;
  const orm = await openOrm(addresses.databaseUrl, { poolMax: 4 });
  const connection = await connectTemporalClient({ address: addresses.temporalAddress });
  const app = await buildApp({
    readiness: { database: async () => {}, temporal: async () => {} },
    engine: {
      orm,
      client: new Client({ connection, namespace: addresses.namespace }),
      taskQueue: 'bench-reports',
      catalog: ACTIVITY_CATALOG,
      auth: { secret: BENCH_AUTH_SECRET },
    },
  });
  try {
    await seedEngineUsers(orm.em.fork(), BENCH_AUTH_SECRET);
    const seeded = performance.now();
    await seedReportData(orm.em.fork(), ROWS);
    console.log(`Seeded ${ROWS} rows per main table in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);
    console.log(`\nReports over ${ROWS} rows, ${RUNS} runs each after 3 warm-ups (target p50 < ${TARGET_MS} ms)`);
    // The machine's load says how far the figures are from a quiet machine's.
    console.log(
      `Load average (1, 5, 15 min): ${loadavg()
        .map((load) => load.toFixed(2))
        .join(', ')}`,
    );
    const slow: string[] = [];
    for (const path of CASES) {
      for (const reader of READERS) {
        // The tech reads tickets and tasks only; the others read everything but tickets.
        const status = (
          await app.inject({ method: 'GET', url: `/api/v1/reports/${path}`, headers: { 'x-api-key': reader.key } })
        ).statusCode;
        if (status === 403) continue;
        if (status !== 200) throw new Error(`${path} as ${reader.who}: ${status}`);
        const samples: number[] = [];
        let rows = 0;
        for (let run = 0; run < RUNS + 3; run++) {
          const t0 = performance.now();
          const response = await app.inject({
            method: 'GET',
            url: `/api/v1/reports/${path}`,
            headers: { 'x-api-key': reader.key },
          });
          if (run >= 3) samples.push(performance.now() - t0);
          rows = (response.json() as { rows: unknown[] }).rows.length;
        }
        const stats = summarise(samples);
        if (stats.p50 >= TARGET_MS) slow.push(`${path} as ${reader.who}`);
        const ratio = `  p50/target=${(stats.p50 / TARGET_MS).toFixed(2)}`;
        console.log(formatStats(`${path} (${reader.who})`.slice(0, 44).padEnd(44), stats, `${ratio}  rows=${rows}`));
      }
    }
    console.log(
      slow.length === 0 ? `\nEvery report under ${TARGET_MS} ms (p50).` : `\nOver ${TARGET_MS} ms: ${slow.join('; ')}`,
    );
    console.log(
      `Load average after: ${loadavg()
        .map((load) => load.toFixed(2))
        .join(', ')}`,
    );
  } finally {
    await app.close();
    await connection.close();
    await orm.close();
    await environment.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
