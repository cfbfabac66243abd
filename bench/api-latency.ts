import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import { ACTIVITY_CATALOG } from '../activities';
import { buildApp } from '../api/app';
import type { Orm } from '../db/orm';
import type { ProcessPlan } from '../dsl/plan';
import { TemplateRegistry } from '../db/repositories';
import { RUN_PROCESS } from '../workflows/messages';
import { formatStats, runConcurrently, summarise } from './stats';

const ADMIN = { 'x-api-key': 'demo-admin-key' };
/** The run's server secret: the seeded demo keys are hashed with it (bench/run.ts). */
export const BENCH_AUTH_SECRET = randomBytes(32).toString('hex');
const TWO_TASKS = (key: string) => `key: ${key}
name: Benchmark, two tasks
input: { type: object, properties: { n: { type: number } } }
steps:
  - id: first
    task: { title: First, candidates: { role: admin }, outcomes: [done] }
  - id: second
    task: { title: Second, candidates: { role: admin }, outcomes: [done] }
`;

/** API start vs a raw client start, and completion-to-next-task latency, over real HTTP. */
export async function measureApi(options: { orm: Orm; client: Client; taskQueue: string; n: number }): Promise<void> {
  const app = await buildApp({
    readiness: { database: async () => {}, temporal: async () => {} },
    engine: {
      orm: options.orm,
      client: options.client,
      taskQueue: options.taskQueue,
      catalog: ACTIVITY_CATALOG,
      auth: { secret: BENCH_AUTH_SECRET },
      // The benchmark raises no events; a poller would only add load beside what it measures.
      triggerPollMs: 0,
    },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1`;
  const http = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { ...ADMIN, ...(body === undefined ? {} : { 'content-type': contentType }) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<Record<string, unknown>>;
  };
  try {
    const key = `bench-two-tasks-${randomUUID().slice(0, 8)}`;
    await http('PUT', `/templates/${key}/draft`, TWO_TASKS(key), 'application/yaml');
    await http('POST', `/templates/${key}/publish`);
    const plan = (await new TemplateRegistry().latest(options.orm.em.fork(), key))!.plan as ProcessPlan;

    const apiStart = () => http('POST', '/instances', { template: key, input: { n: 1 } }).then(() => undefined);
    const rawStart = () =>
      options.client.workflow
        .start(RUN_PROCESS, {
          taskQueue: options.taskQueue,
          workflowId: `${key}-raw-${randomUUID()}`,
          args: [{ plan, input: { n: 1 } }],
        })
        .then(() => undefined);
    await runConcurrently(10, 1, apiStart);
    await runConcurrently(10, 1, rawStart);
    const api = summarise((await runConcurrently(options.n, 1, apiStart)).latencies);
    const raw = summarise((await runConcurrently(options.n, 1, rawStart)).latencies);
    console.log(`\nStarting an instance: ${options.n} sequential starts each`);
    console.log(formatStats('POST /api/v1/instances (HTTP)', api));
    console.log(formatStats('raw Temporal client start', raw));
    console.log(`api/raw start latency ratio: ${(api.p50 / raw.p50).toFixed(2)}`);

    const visible = async (instanceId: string, stepId: string): Promise<string> => {
      for (;;) {
        const page = await http('GET', `/tasks?status=open&template=${key}&limit=200`);
        const task = (page.items as { id: string; instanceId: string; stepId: string }[]).find(
          (t) => t.instanceId === instanceId && t.stepId === stepId,
        );
        if (task) return task.id;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    const samples: number[] = [];
    const rounds = Math.max(10, Math.floor(options.n / 2));
    for (let i = 0; i < rounds; i++) {
      const started = await http('POST', '/instances', { template: key, input: { n: i } });
      const first = await visible(String(started.id), 'first');
      const t0 = performance.now();
      await http('POST', `/tasks/${encodeURIComponent(first)}/complete`, { outcome: 'done' });
      await visible(String(started.id), 'second');
      samples.push(performance.now() - t0);
    }
    console.log(`\nTask completion until the next task is in the inbox: ${rounds} rounds`);
    console.log(formatStats('complete → next task visible', summarise(samples)));
  } finally {
    await app.close();
  }
}
