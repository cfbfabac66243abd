/**
 * `npm run bench:scale`: scale-out on a real Temporal server on PostgreSQL (runtime/temporal-cluster.ts),
 * the product run as separate processes the way production runs it (`ROLES=worker`, `ROLES=api`).
 *   1. 1 → 2 → 3 worker processes on one task queue: a burst of SCALE_N instances of
 *      bench/templates/scale-out.yaml (an SLA rule, an audit entry, a mail) started through the API;
 *      instances/s from the first start to the last completion.
 *   2. 1 → 2 → 3 API processes (workers stopped, so they do not compete for the cores): SCALE_N
 *      POST /api/v1/instances spread over them at SCALE_CONCURRENCY; starts/s.
 * Printed with the ratio to one process, all taken in one run. Not a test: nothing asserts a figure.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { Connection } from '@temporalio/client';
import { connectTemporalClient } from '../runtime/temporal-client-connection';
import { openOrm, type Orm } from '../db/orm';
import { startEphemeralEnvironment, type EphemeralEnvironment } from '../runtime/ephemeral-environment';
import { startProduct, stopProduct, type ProductProcess } from './product-process';
import { findFreePort } from '../runtime/port-check';
import { startTemporalCluster, type RunningTemporalCluster } from '../runtime/temporal-cluster';
import { ensureTemporalServerBinaries } from '../runtime/temporal-server-build';
// CommonJS package whose namespace export Node's ESM loader cannot detect statically.
import proto from '@temporalio/proto';
import { runConcurrently } from './stats';
import { benchCount } from './bench-env';

const N = benchCount('SCALE_N', 200);
const CONCURRENCY = benchCount('SCALE_CONCURRENCY', 20);
const MAX_PROCESSES = benchCount('SCALE_MAX_PROCESSES', 3);
const NAMESPACE = 'default';
const TASK_QUEUE = 'crm-processes';
const TEMPLATE_KEY = 'bench-scale-out';
const ADMIN_KEY = 'demo-admin-key';
const AUTH_SECRET = 'scale-out-benchmark-secret-0123456789abcdef';

async function main(): Promise<void> {
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-scale-out-'));
  fs.chmodSync(dir, 0o755);
  const binaries = await ensureTemporalServerBinaries({ toolsDir: path.resolve('.tools'), log: console.log });
  const processes: ProductProcess[] = [];
  let cluster: RunningTemporalCluster | undefined;
  let environment: EphemeralEnvironment | undefined;
  let orm: Orm | undefined;
  try {
    cluster = await startTemporalCluster({ dir: path.join(dir, 'cluster'), binaries, namespace: NAMESPACE, logger });
    environment = await startEphemeralEnvironment(logger, {
      ...process.env,
      TEMPORAL_ADDRESS: cluster.address,
      TEMPORAL_NAMESPACE: NAMESPACE,
    });
    const { addresses } = environment;
    orm = await openOrm(addresses.databaseUrl, { poolMax: 2 });
    const connection = await connectTemporalClient({ address: cluster.address });
    const spawnRole = async (role: 'api' | 'worker'): Promise<ProductProcess> => {
      const port = role === 'api' ? await findFreePort() : null;
      const product = startProduct({
        roles: role,
        port,
        dataDir: path.join(dir, `${role}-${processes.length}`),
        addresses,
        authSecret: AUTH_SECRET,
        taskQueue: TASK_QUEUE,
      });
      processes.push(product);
      if (port !== null) await waitForReady(`http://127.0.0.1:${port}/readyz`, product);
      return product;
    };

    // The first API process seeds the demo users (their keys) and publishes the built-in templates.
    const firstApi = await spawnRole('api');
    await publishTemplate(`http://127.0.0.1:${firstApi.port}/api/v1`);
    console.log(
      `Temporal server ${binaries.version} on PostgreSQL at ${cluster.address}; burst ${N}, concurrency ${CONCURRENCY}`,
    );

    const workers: ProductProcess[] = [];
    const workerRates: number[] = [];
    for (let count = 1; count <= MAX_PROCESSES; count++) {
      workers.push(await spawnRole('worker'));
      await waitForPollers(connection, workers.length);
      const batch = `scale-w${count}-${randomUUID().slice(0, 8)}`;
      const started = Date.now();
      const ids = await startBurst([firstApi.port!], batch);
      const startedAll = Date.now();
      await waitForCompletion(orm, ids);
      const rate = N / ((Date.now() - started) / 1000);
      workerRates.push(rate);
      console.log(
        `${count} worker process(es): ${rate.toFixed(1)} instances/s (starts took ${((startedAll - started) / 1000).toFixed(1)} s, ratio to 1 worker ${(rate / workerRates[0]!).toFixed(2)})`,
      );
    }
    // Without workers the API's starts do not share the cores with instances being run.
    await Promise.all(workers.map(stopProduct));

    const apis: ProductProcess[] = [firstApi];
    const apiRates: number[] = [];
    for (let count = 1; count <= MAX_PROCESSES; count++) {
      if (apis.length < count) apis.push(await spawnRole('api'));
      const started = Date.now();
      await startBurst(
        apis.map((a) => a.port!),
        `scale-a${count}-${randomUUID().slice(0, 8)}`,
      );
      const rate = N / ((Date.now() - started) / 1000);
      apiRates.push(rate);
      console.log(
        `${count} API process(es): ${rate.toFixed(1)} POST /instances per s (ratio to 1 API ${(rate / apiRates[0]!).toFixed(2)})`,
      );
    }
    console.log(
      `scaling ratios (1 → ${MAX_PROCESSES}): workers ${workerRates.map((r) => (r / workerRates[0]!).toFixed(2)).join(' / ')}; ` +
        `APIs ${apiRates.map((r) => (r / apiRates[0]!).toFixed(2)).join(' / ')}; load average ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')} on ${os.cpus().length} cores`,
    );
    await connection.close();
  } finally {
    await Promise.all(processes.map(stopProduct));
    await orm?.close();
    await environment?.stop();
    await cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function waitForReady(url: string, product: ProductProcess): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (product.child.exitCode !== null) throw new Error(`the process for ${url} exited (${product.child.exitCode})`);
    // Up is enough: readiness also asks for a worker's pollers, and the API processes are
    // started before any worker (and measured with none).
    const checks = await fetch(url).then(
      async (r) => ((await r.json()) as { checks?: { database?: string; temporal?: string } }).checks,
      () => undefined,
    );
    if (checks?.database === 'ok' && checks.temporal === 'ok') return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} not ready after 180 s`);
}

async function publishTemplate(api: string): Promise<void> {
  const headers = { 'x-api-key': ADMIN_KEY };
  const draft = await fetch(`${api}/templates/${TEMPLATE_KEY}/draft`, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/yaml' },
    body: fs.readFileSync(path.resolve('bench/templates/scale-out.yaml'), 'utf8'),
  });
  if (!draft.ok) throw new Error(`saving the template: ${draft.status} ${await draft.text()}`);
  const published = await fetch(`${api}/templates/${TEMPLATE_KEY}/publish`, { method: 'POST', headers });
  if (!published.ok) throw new Error(`publishing the template: ${published.status} ${await published.text()}`);
}

/** Distinct worker processes polling both kinds of task, as DescribeTaskQueue reports them. */
async function waitForPollers(connection: Connection, processes: number): Promise<void> {
  const { TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY } = proto.temporal.api.enums.v1.TaskQueueType;
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const seen = await Promise.all(
      [TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY].map(async (taskQueueType) => {
        const described = await connection.workflowService.describeTaskQueue({
          namespace: NAMESPACE,
          taskQueue: { name: TASK_QUEUE },
          taskQueueType,
        });
        return new Set((described.pollers ?? []).map((p) => p.identity)).size;
      }),
    );
    if (seen.every((n) => n >= processes)) return;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new Error(`${processes} worker process(es) not polling after 180 s`);
}

/** SCALE_N starts through the API, spread round-robin over the given API ports; the instance ids. */
async function startBurst(ports: number[], batch: string): Promise<string[]> {
  const ids: string[] = [];
  await runConcurrently(N, CONCURRENCY, async (i) => {
    const response = await fetch(`http://127.0.0.1:${ports[i % ports.length]}/api/v1/instances`, {
      method: 'POST',
      headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'application/json', 'idempotency-key': `${batch}-${i}` },
      body: JSON.stringify({
        template: TEMPLATE_KEY,
        input: {
          ticketId: `${batch}-${i}`,
          priority: ['low', 'normal', 'high', 'urgent'][i % 4],
          openedAt: new Date().toISOString(),
          email: `scale+${i}@example.test`,
        },
      }),
    });
    if (response.status !== 201) throw new Error(`POST /instances: ${response.status} ${await response.text()}`);
    ids.push(((await response.json()) as { id: string }).id);
  });
  return ids;
}

/** Until every instance of the burst has completed. */
async function waitForCompletion(orm: Orm, ids: string[]): Promise<void> {
  const deadline = Date.now() + 30 * 60_000;
  while (Date.now() < deadline) {
    // A grouped count over the projection: one round trip per poll (bench code, not a repository).
    const rows = await orm.em
      .getConnection()
      .execute<{ status: string; n: string }[]>(
        'select status, count(*) as n from process_instance where id in (?) group by status',
        [ids],
      );
    const completed = Number(rows.find((r) => r.status === 'completed')?.n ?? 0);
    const failed = rows.filter((r) => r.status === 'failed' || r.status === 'incident');
    if (failed.length > 0) throw new Error(`instances of the burst ended badly: ${JSON.stringify(rows)}`);
    if (completed >= ids.length) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the burst did not complete in 30 minutes');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
