/**
 * `npm run bench -- leads`: leads through `POST /api/v1/leads` at the engine's speed. The product
 * runs as production runs it (runtime/start.ts, `ROLES=api,worker`, demo data, built-in templates)
 * on the embedded servers; this process is the clients. For 1, 10 and 30 clients, on an empty CRM
 * and then with 100 000 rows per table (bench/bulk-rows.ts): LEADS_N leads posted, leads/s from
 * the first POST until every lead's assignment mail is sent (the mail follows the assignment),
 * POST p50/p99, the rate posted at, and POST → mail in the SMTP sink p50/p99 (a backlog's wait
 * once the clients post faster than leads are assigned). Beside each, the ceiling the Temporal
 * server sets: as many starts+completions of a trivial workflow at the same concurrency.
 * Not a test: nothing here asserts a time. LEADS_N, LEADS_CLIENTS (e.g. "1,10,30") and
 * LEADS_BULK_ROWS (0: the empty CRM only) change the load.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Client } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { connectTemporalClient } from '../runtime/temporal-client-connection';
import { openOrm, type Orm } from '../db/orm';
import { startEphemeralEnvironment } from '../runtime/ephemeral-environment';
import { findFreePort } from '../runtime/port-check';
import { installTemporalRuntime } from '../runtime/temporal-logging';
import type { StoredMessage } from '../runtime/smtp-sink/message-store';
import { seedBulkRows } from './bulk-rows';
import { cpuBetween, cpuOf, profileWindow, sampleCpu, type CpuSample } from './process-cpu';
import { startProduct, stopProduct, type ProductProcess } from './product-process';
import { formatStats, runConcurrently, summarise } from './stats';
import { benchCount, benchCounts } from './bench-env';

const N = benchCount('LEADS_N', 300);
const CLIENTS = benchCounts('LEADS_CLIENTS', [1, 10, 30]);
/** 0: the empty CRM only. */
const BULK_ROWS = benchCount('LEADS_BULK_ROWS', 100_000, 0);
const ADMIN_KEY = 'demo-admin-key';
const AUTH_SECRET = 'leads-benchmark-secret-0123456789abcdef';
const TASK_QUEUE = 'crm-processes';
// Regions and a product line the demo company's reps cover (db/seed/demo-company.ts).
const REGIONS = ['east', 'north', 'south'];

export async function runLeadsBenchmark(): Promise<void> {
  const logger = pino({ level: 'warn' });
  installTemporalRuntime(logger);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-leads-bench-'));
  const environment = await startEphemeralEnvironment(logger);
  const { addresses } = environment;
  let product: ProductProcess | undefined;
  let orm: Orm | undefined;
  const nativeConnection = await NativeConnection.connect({ address: addresses.temporalAddress });
  const connection = await connectTemporalClient({ address: addresses.temporalAddress });
  try {
    const port = await findFreePort();
    // Demo data (DEMO_DATA defaults to true on a loopback HOST): the reps and regions leads go to.
    product = startProduct({
      roles: 'api,worker',
      port,
      dataDir: dir,
      addresses,
      authSecret: AUTH_SECRET,
      taskQueue: TASK_QUEUE,
    });
    await waitForReady(`http://127.0.0.1:${port}/readyz`, product);
    const api = `http://127.0.0.1:${port}/api/v1`;
    orm = await openOrm(addresses.databaseUrl, { poolMax: 2 });
    const client = new Client({ connection, namespace: addresses.namespace });
    const ceilingQueue = `bench-ceiling-${randomUUID()}`;
    const worker = await Worker.create({
      connection: nativeConnection,
      namespace: addresses.namespace,
      taskQueue: ceilingQueue,
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: path.resolve('bench/workflows/trivial.ts'),
        logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
      }),
    });
    const ceiling = async (concurrency: number): Promise<number> => {
      const run = await runConcurrently(N, concurrency, (i) =>
        client.workflow.execute('trivialWorkflow', {
          taskQueue: ceilingQueue,
          workflowId: `ceiling-${i}-${randomUUID()}`,
        }),
      );
      return N / (run.wallMs / 1000);
    };

    await worker.runUntil(async () => {
      await postLeads(api, orm!, addresses.mailUiUrl, 'warm-up', Math.min(30, N), 5); // JIT, pools, caches
      const crms = ['empty CRM', ...(BULK_ROWS > 0 ? [`${BULK_ROWS.toLocaleString('en')} rows per table`] : [])];
      for (const crm of crms) {
        if (crm !== 'empty CRM') {
          const started = Date.now();
          await seedBulkRows(orm!, { rowsPerTable: BULK_ROWS });
          console.log(`\nseeded ${BULK_ROWS} rows per table in ${((Date.now() - started) / 1000).toFixed(0)} s`);
        }
        console.log(`\nLeads through POST /api/v1/leads, ${N} per run, ${crm}:`);
        for (const clients of CLIENTS) {
          const round = await postLeads(
            api,
            orm!,
            addresses.mailUiUrl,
            `c${clients}-${randomUUID().slice(0, 6)}`,
            N,
            clients,
          );
          const bare = await ceiling(clients);
          console.log(
            `${String(clients).padStart(2)} client(s): ${round.leadsPerSecond.toFixed(1)} leads/s assigned+mailed; ` +
              `trivial workflow ceiling ${bare.toFixed(1)}/s (ratio ${(round.leadsPerSecond / bare).toFixed(2)})`,
          );
          console.log(formatStats('  POST /leads', round.post));
          console.log(`  posted at ${round.postsPerSecond.toFixed(1)} leads/s`);
          console.log(formatStats('  POST → mail in sink', round.mail));
          console.log(formatCpu(round.cpuPerLead));
        }
      }
    });
    console.log(
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${os.cpus().length} cores`,
    );
  } finally {
    if (product) await stopProduct(product);
    await orm?.close();
    await connection.close();
    await nativeConnection.close();
    await environment.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface LeadRound {
  leadsPerSecond: number;
  /** How fast the clients posted: above leadsPerSecond, the leads queue and their mails wait for the backlog. */
  postsPerSecond: number;
  post: ReturnType<typeof summarise>;
  mail: ReturnType<typeof summarise>;
  /** CPU per lead (ms) from the first POST until the last assignment mail is sent, by process. */
  cpuPerLead: CpuSample;
}

/** `n` leads from `clients` clients at once; done when every lead's assignment mail is sent. */
async function postLeads(
  api: string,
  orm: Orm,
  mailUiUrl: string,
  batch: string,
  n: number,
  clients: number,
): Promise<LeadRound> {
  const postedAt = new Map<string, number>();
  const posts: number[] = [];
  const cpuFrom = sampleCpu();
  const started = Date.now();
  const window = profileWindow(`leads ${batch}`);
  const posting = await runConcurrently(n, clients, async (i) => {
    const sentAt = Date.now();
    const t0 = performance.now();
    const response = await fetch(`${api}/leads`, {
      method: 'POST',
      headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({
        source: 'web',
        company: `Bench ${batch} ${i}`,
        contactName: `Contact ${i}`,
        email: `lead-${batch}-${i}@bench.example`,
        region: REGIONS[i % REGIONS.length],
        productInterest: 'erp',
      }),
    });
    posts.push(performance.now() - t0);
    if (response.status !== 201) throw new Error(`POST /leads: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { lead: { id: string }; triggerPending: boolean };
    postedAt.set(body.lead.id, sentAt);
  });
  const keys = [...postedAt.keys()].map((id) => `lead-assigned:${id}`);
  await waitForMailsSent(orm, keys);
  const leadsPerSecond = n / ((Date.now() - started) / 1000);
  const cpu = cpuBetween(cpuFrom, sampleCpu());
  window();
  const received = await mailReceivedAt(mailUiUrl, postedAt);
  const mail = [...postedAt].flatMap(([id, at]) => (received.has(id) ? [received.get(id)! - at] : []));
  if (mail.length < n) console.log(`  !! only ${mail.length} of ${n} lead mails found in the SMTP sink`);
  return {
    leadsPerSecond,
    postsPerSecond: n / (posting.wallMs / 1000),
    post: summarise(posts),
    mail: summarise(mail),
    cpuPerLead: cpuOf((key) => cpu[key] / n),
  };
}

/**
 * What a lead cost each process, the API and worker's product process first: the ones the leads
 * compete for the 2 cores with. The tasks of the last few leads still open after the window.
 */
function formatCpu(cpu: CpuSample): string {
  const total = cpu.others + cpu.temporal + cpu.postgres + cpu.worker;
  const ms = (value: number) => value.toFixed(1);
  return `  CPU per lead ${ms(total)} ms: product ${ms(cpu.others)}, Temporal ${ms(cpu.temporal)}, PostgreSQL ${ms(cpu.postgres)}, clients and SMTP sink ${ms(cpu.worker)}`;
}

/** Until the mail outbox says every one of these mails went out (one grouped count per poll). */
async function waitForMailsSent(orm: Orm, idempotencyKeys: string[]): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  while (Date.now() < deadline) {
    const [row] = await orm.em
      .getConnection()
      .execute<{ n: string }[]>(
        `select count(*) as n from mail_outbox where status = 'sent' and idempotency_key in (?)`,
        [idempotencyKeys],
      );
    if (Number(row?.n ?? 0) >= idempotencyKeys.length) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the lead mails were not all sent within 10 minutes');
}

/** When the sink received each lead's mail (the mail links the lead: /api/v1/leads/<id>). */
async function mailReceivedAt(mailUiUrl: string, leads: Map<string, number>): Promise<Map<string, number>> {
  const response = await fetch(`${mailUiUrl}/api/messages`);
  if (!response.ok) throw new Error(`mail sink answered ${response.status}`);
  const { messages } = (await response.json()) as { messages: StoredMessage[] };
  const received = new Map<string, number>();
  for (const message of messages) {
    const id = /\/api\/v1\/leads\/([\w-]+)/.exec(message.text)?.[1];
    if (id && leads.has(id)) received.set(id, new Date(message.receivedAt).getTime());
  }
  return received;
}

async function waitForReady(url: string, { child }: ProductProcess): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the product process exited (${child.exitCode})`);
    if (
      (await fetch(url).then(
        (r) => r.status,
        () => 0,
      )) === 200
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} not ready after 180 s`);
}
