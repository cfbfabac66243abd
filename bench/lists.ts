/**
 * `npm run bench -- lists` (and `-- inbox`, its inbox part only): the list endpoints at 100 000 rows
 * per table, load-tested with autocannon beside a bare Fastify route in the same process, so each
 * figure is also printed as a ratio to what this Node answers with no application at all.
 *
 * The API is built as `npm start` builds it: pino at `info` (written to /dev/null, so the cost of
 * the request log is paid but the terminal is spared), the rate limiter and the audit context in
 * the request path. RATE_LIMIT_PER_MINUTE (README) is raised for the run: at its default of 1 200 a
 * minute per principal one user's load test would be refused after the first second.
 *
 * BENCH_ROWS (default 100 000) rows per table, BENCH_SECONDS (default 10) per load test,
 * BENCH_CONNECTIONS (default "10,50").
 * Not a test: nothing here asserts a time.
 */
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import Fastify, { type FastifyInstance } from 'fastify';
import autocannon from 'autocannon';
import { Client } from '@temporalio/client';
import { connectTemporalClient } from '../runtime/temporal-client-connection';
import { ACTIVITY_CATALOG } from '../activities';
import { buildApp } from '../api/app';
import { openOrm } from '../db/orm';
import { seedEngineUsers } from '../db/seed/engine-users';
import { publishBuiltinTemplates } from '../runtime/builtin-templates';
import { startEphemeralEnvironment } from '../runtime/ephemeral-environment';
import { installTemporalRuntime } from '../runtime/temporal-logging';
import { BENCH_AUTH_SECRET } from './api-latency';
import { seedBulkRows } from './bulk-rows';
import { cpuBetween, profileWindow, sampleCpu } from './process-cpu';
import { benchCount, benchCounts } from './bench-env';

const ROWS = benchCount('BENCH_ROWS', 100_000);
const SECONDS = benchCount('BENCH_SECONDS', 10);
const CONNECTIONS = benchCounts('BENCH_CONNECTIONS', [10, 50]);
/** How far the deep-page test follows `nextCursor` before it loads that page. */
const DEEP_PAGES = 20;

/** One URL as one user: what a load test requests. */
interface Target {
  label: string;
  path: string;
  apiKey: string;
}

interface LoadFigures {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** CPU per request (ms): this process (the API and autocannon's thread) and PostgreSQL. */
  cpuPerRequest: { process: number; postgres: number };
}

export async function runListsBenchmark(options: { only?: 'inbox' } = {}): Promise<void> {
  const logger = pino({ level: 'warn' });
  installTemporalRuntime(logger);
  const environment = await startEphemeralEnvironment(logger);
  const { addresses } = environment;
  const owner = await openOrm(addresses.databaseUrl, { poolMax: 4 });
  const orm = await openOrm(addresses.appDatabaseUrl);
  const connection = await connectTemporalClient({ address: addresses.temporalAddress });
  const client = new Client({ connection, namespace: addresses.namespace });
  const bare = Fastify({ logger: false });
  bare.get('/bare', async () => ({ ok: true }));
  let app: FastifyInstance | undefined;
  try {
    await seedEngineUsers(owner.em.fork(), BENCH_AUTH_SECRET);
    // As `npm start` does: the bulk instances run the built-in templates' first versions.
    await publishBuiltinTemplates(owner.em.fork(), ACTIVITY_CATALOG, logger);
    const seedStarted = performance.now();
    const seed = await seedBulkRows(owner, { rowsPerTable: ROWS });
    console.log(`Seeded ${ROWS} rows per table in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

    app = await buildApp({
      logger: pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: false })),
      readiness: { database: async () => {}, temporal: async () => {} },
      rateLimits: { perPrincipalPerMinute: 100_000_000, authFailuresPerIpPerMinute: 30, eventsPerRecordPerMinute: 30 },
      engine: {
        orm,
        client,
        taskQueue: 'bench-lists',
        catalog: ACTIVITY_CATALOG,
        auth: { secret: BENCH_AUTH_SECRET },
        triggerPollMs: 0,
      },
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    await bare.listen({ host: '127.0.0.1', port: 0 });
    const apiBase = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1`;
    const bareUrl = `http://127.0.0.1:${(bare.server.address() as AddressInfo).port}/bare`;

    const manager = seed.salesManager.apiKey;
    const inbox = '/tasks?status=open&limit=50';
    const targets: Target[] = [
      { label: 'GET /tasks?status=open (inbox, page 1)', path: inbox, apiKey: manager },
      {
        label: `GET /tasks?status=open (inbox, page ${DEEP_PAGES + 1})`,
        path: await followCursor(apiBase, inbox, manager, DEEP_PAGES),
        apiKey: manager,
      },
      // By due date: the web app's default order (web/src/staff/inbox/inbox-search.ts).
      { label: 'GET /tasks?status=open&sort=due', path: `${inbox}&sort=due`, apiKey: manager },
    ];
    if (options.only !== 'inbox') {
      targets.push(
        { label: 'GET /instances', path: '/instances?limit=50', apiKey: seed.admin.apiKey },
        // A caller who may not see every instance: the instances their readers hold (instance_reader).
        { label: 'GET /instances (sales manager)', path: '/instances?limit=50', apiKey: manager },
        { label: 'GET /leads', path: '/leads?limit=50', apiKey: manager },
        { label: 'GET /orders', path: '/orders?limit=50', apiKey: manager },
        // A search for a name no customer has, by a reader of every customer: the trigram index
        // finds none, where the list's order index would be walked to its end (migration 20261238).
        { label: 'GET /customers?name=<none has it>', path: '/customers?limit=50&name=zqx', apiKey: seed.admin.apiKey },
      );
    }

    console.log(
      `\nList endpoints at ${ROWS} rows per table: ${SECONDS} s per load test, load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} (${os.cpus().length} CPUs)`,
    );
    for (const connections of CONNECTIONS) {
      const baseline = await load(bareUrl, {}, connections);
      console.log(`\n${connections} connections`);
      console.log(formatLoad('bare Fastify route (same process)', baseline, baseline));
      for (const target of targets) {
        const figures = await load(`${apiBase}${target.path}`, { 'x-api-key': target.apiKey }, connections);
        console.log(formatLoad(target.label, figures, baseline));
      }
    }
    console.log(
      `\nload average after: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await app?.close();
    await bare.close();
    await connection.close();
    await orm.close();
    await owner.close();
    await environment.stop();
  }
}

/** The path of the page `pages` pages after the first, by following `nextCursor` as a client does. */
async function followCursor(apiBase: string, path: string, apiKey: string, pages: number): Promise<string> {
  let current = path;
  for (let page = 0; page < pages; page++) {
    const response = await fetch(`${apiBase}${current}`, { headers: { 'x-api-key': apiKey } });
    if (!response.ok) throw new Error(`GET ${current}: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { nextCursor: string | null };
    if (body.nextCursor === null) {
      console.log(`(the inbox ends after ${page + 1} pages: the deep page is page ${page + 1})`);
      return current;
    }
    current = `${path}&cursor=${encodeURIComponent(body.nextCursor)}`;
  }
  return current;
}

async function load(url: string, headers: Record<string, string>, connections: number): Promise<LoadFigures> {
  // A short warm-up first: JIT, connection pool and PostgreSQL's caches, so every target starts warm.
  // In a worker thread of its own: the load generator must not share the API's event loop, whose
  // time is what is measured (it still shares the machine's 2 cores, as a client on the host would).
  await autocannon({ url, headers, connections, duration: 1, workers: 1 });
  const before = sampleCpu();
  const { pathname, search } = new URL(url);
  const window = profileWindow(`${pathname}${search} c${connections}`);
  const result = await autocannon({ url, headers, connections, duration: SECONDS, workers: 1 });
  window();
  const cpu = cpuBetween(before, sampleCpu());
  const requests = Math.max(1, result.requests.total);
  return {
    cpuPerRequest: { process: cpu.worker / requests, postgres: cpu.postgres / requests },
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

function formatLoad(label: string, figures: LoadFigures, baseline: LoadFigures): string {
  const failures =
    figures.non2xx + figures.errors > 0
      ? `  !!! ${figures.non2xx} non-2xx, ${figures.errors} errors: THESE FIGURES ARE NOT OF SUCCESSFUL PAGES`
      : '  non-2xx=0';
  return `${label.padEnd(44)} ${figures.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50=${String(figures.p50).padStart(4)} ms  p99=${String(figures.p99).padStart(4)} ms  ratio to bare=${(figures.requestsPerSecond / baseline.requestsPerSecond).toFixed(3)}  cpu/req=${figures.cpuPerRequest.process.toFixed(2)}+${figures.cpuPerRequest.postgres.toFixed(2)} ms${failures}`;
}
