/**
 * `npm run bench -- interpreter`: measured in one run on one worker and one server, printed as ratios.
 *   1. the interpreter (runProcess over bench/templates/three-steps.yaml) against the same steps
 *      written by hand (bench/workflows/hand-written.ts);
 *   2. POST /api/v1/instances against a raw Temporal client start;
 *   3. task completion until the next task is visible in the inbox;
 *   4. CPU-bound runs (concurrency 20 and 40): CPU time per instance of the worker, the Temporal
 *      dev server and PostgreSQL, interpreter and hand-written interleaved, median of the rounds.
 * Not a test: nothing here asserts a time. BENCH_N and BENCH_CONCURRENCY change the latency load;
 * BENCH_CPU_ROUNDS, BENCH_CPU_N (instances per side and round) and BENCH_CPU_CONCURRENCY
 * (comma-separated) the CPU part.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { Client } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { connectTemporalClient } from '../runtime/temporal-client-connection';
import { sharedWorkflowModules } from '../simulator/workflow-bundle';
import { ACTIVITY_CATALOG } from '../activities';
import { createActivities } from '../activities';
import { compileTemplate } from '../dsl/compile';
import { formatDiagnostic } from '../dsl/diagnostics';
import { openOrm } from '../db/orm';
import { seedEngineUsers } from '../db/seed/engine-users';
import { startEphemeralEnvironment } from '../runtime/ephemeral-environment';
import { createMailTransport } from '../runtime/mailer';
import { installTemporalRuntime } from '../runtime/temporal-logging';
import { startPlannedInstance } from '../api/services/process-starter';
import type { ProjectInstanceParams } from '../contracts/engine';
import { InstanceRepository } from '../db/repositories';
import { BENCH_CATALOG, createBenchActivities } from './bench-activities';
import { BENCH_AUTH_SECRET, measureApi } from './api-latency';
import { cpuBetween, cpuOf, profileWindow, sampleCpu, type CpuSample } from './process-cpu';
import { formatStats, percentile, runConcurrently, summarise } from './stats';
import { benchCount, benchCounts } from './bench-env';

const N = benchCount('BENCH_N', 200);
const CONCURRENCY = benchCount('BENCH_CONCURRENCY', 10);
const WARMUP = Math.min(30, N);
const CPU_ROUNDS = benchCount('BENCH_CPU_ROUNDS', 5);
const CPU_N = benchCount('BENCH_CPU_N', 60);
const CPU_CONCURRENCY = benchCounts('BENCH_CPU_CONCURRENCY', [20, 40]);

export async function runInterpreterBenchmark(): Promise<void> {
  const logger = pino({ level: 'warn' });
  installTemporalRuntime(logger);
  const environment = await startEphemeralEnvironment(logger);
  const { addresses } = environment;
  const orm = await openOrm(addresses.databaseUrl, { poolMax: 10 });
  const mailer = createMailTransport(addresses.smtpUrl);
  const nativeConnection = await NativeConnection.connect({ address: addresses.temporalAddress });
  const connection = await connectTemporalClient({ address: addresses.temporalAddress });
  const client = new Client({ connection, namespace: addresses.namespace });
  const taskQueue = `bench-${randomUUID()}`;
  try {
    await seedEngineUsers(orm.em.fork(), BENCH_AUTH_SECRET);
    const source = fs.readFileSync(path.resolve('bench/templates/three-steps.yaml'), 'utf8');
    const compiled = compileTemplate(source, { catalog: { ...ACTIVITY_CATALOG, ...BENCH_CATALOG }, version: 1 });
    if (!compiled.plan)
      throw new Error(compiled.diagnostics.map((d) => formatDiagnostic(d, source, 'three-steps.yaml')).join('\n'));
    const plan = compiled.plan;

    const workflowBundle = await bundleWorkflowCode({
      workflowsPath: path.resolve('bench/workflows/index.ts'),
      // As the product bundles its workflows (simulator/workflow-bundle.ts).
      preloadModules: sharedWorkflowModules(),
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
    });
    const worker = await Worker.create({
      connection: nativeConnection,
      namespace: addresses.namespace,
      taskQueue,
      workflowBundle,
      workflowThreadPoolSize: 1,
      activities: {
        ...createActivities({ orm, mailer, mailFrom: 'bench@engine.test', logger }),
        ...createBenchActivities(),
      },
    });
    await worker.runUntil(async () => {
      // Started as the API starts instances (api/services/process-starter.ts): with their search
      // attributes and the instance row written right after the start, which the workflow then
      // only updates at its end.
      const instances = new InstanceRepository();
      const starter = {
        client,
        taskQueue,
        projectStart: async (params: ProjectInstanceParams, runId: string) => {
          await instances.project(orm.em.fork(), params, new Date(), runId);
        },
      };
      const interpreter = async (i: number) => {
        const instanceId = `bench-interp-${i}-${randomUUID()}`;
        await startPlannedInstance(starter, {
          plan,
          input: { value: i % 10 },
          instanceId,
          businessKey: null,
          startedBy: 'bench',
        });
        await client.workflow.getHandle(instanceId).result();
      };
      const handWritten = (i: number) =>
        client.workflow
          .execute('handWrittenThreeSteps', {
            taskQueue,
            workflowId: `bench-hand-${i}-${randomUUID()}`,
            args: [{ value: i % 10 }],
          })
          .then(() => undefined);

      await runConcurrently(WARMUP, CONCURRENCY, interpreter);
      await runConcurrently(WARMUP, CONCURRENCY, handWritten);
      // Alternate halves so drift on a shared machine hits both sides alike.
      const half = Math.ceil(N / 2);
      const a1 = await runConcurrently(half, CONCURRENCY, interpreter);
      const h1 = await runConcurrently(half, CONCURRENCY, handWritten);
      const h2 = await runConcurrently(N - half, CONCURRENCY, handWritten);
      const a2 = await runConcurrently(N - half, CONCURRENCY, interpreter);
      const interp = summarise([...a1.latencies, ...a2.latencies]);
      const hand = summarise([...h1.latencies, ...h2.latencies]);
      const interpRate = N / ((a1.wallMs + a2.wallMs) / 1000);
      const handRate = N / ((h1.wallMs + h2.wallMs) / 1000);
      console.log(`\nWorkflow overhead: ${N} instances each, concurrency ${CONCURRENCY}, 4 activities per instance`);
      console.log(formatStats('interpreter (runProcess)', interp, `  throughput=${interpRate.toFixed(1)} instances/s`));
      console.log(formatStats('hand-written workflow', hand, `  throughput=${handRate.toFixed(1)} instances/s`));
      console.log(`interpreter/hand-written latency ratio: ${(interp.p50 / hand.p50).toFixed(2)}`);
      console.log(`interpreter/hand-written p99 ratio: ${(interp.p99 / hand.p99).toFixed(2)}`);
      console.log(`hand-written/interpreter throughput ratio: ${(handRate / interpRate).toFixed(2)}`);

      for (const concurrency of CPU_CONCURRENCY)
        await measureCpu({ concurrency, rounds: CPU_ROUNDS, n: CPU_N, interpreter, handWritten });

      await measureApi({ orm, client, taskQueue, n: Math.max(20, Math.floor(N / 4)) });
    });
  } finally {
    await connection.close();
    await nativeConnection.close();
    mailer.close();
    await orm.close();
    await environment.stop();
  }
}

interface CpuRound {
  cpu: CpuSample;
  rate: number;
  p50: number;
}

/**
 * Both sides run the same batches, alternating which goes first, with a short pause after each so
 * the server's trailing work (visibility, history cleanup) lands in the batch that caused it.
 */
async function measureCpu(options: {
  concurrency: number;
  rounds: number;
  n: number;
  interpreter: (i: number) => Promise<void>;
  handWritten: (i: number) => Promise<void>;
}): Promise<void> {
  const { concurrency, rounds, n } = options;
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const batch = async (job: (i: number) => Promise<void>): Promise<CpuRound> => {
    // What the processes burn doing nothing (pollers, timers) is taken off in proportion to the
    // batch's time: else the slower side is charged for its waiting.
    const idleFrom = sampleCpu();
    const idleStarted = performance.now();
    await pause(1000);
    const idle = cpuBetween(idleFrom, sampleCpu());
    const idleMs = performance.now() - idleStarted;
    const before = sampleCpu();
    const started = performance.now();
    const window = profileWindow(`${job === options.interpreter ? 'interpreter' : 'hand-written'} c${concurrency}`);
    const run = await runConcurrently(n, concurrency, job);
    window();
    await pause(300);
    const cpu = cpuBetween(before, sampleCpu());
    const share = (performance.now() - started) / idleMs;
    const net = (key: keyof CpuSample) => Math.max(0, cpu[key] - idle[key] * share) / n;
    return {
      cpu: cpuOf(net),
      rate: n / (run.wallMs / 1000),
      p50: summarise(run.latencies).p50,
    };
  };
  const interp: CpuRound[] = [];
  const hand: CpuRound[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      interp.push(await batch(options.interpreter));
      hand.push(await batch(options.handWritten));
    } else {
      hand.push(await batch(options.handWritten));
      interp.push(await batch(options.interpreter));
    }
  }
  const median = (values: number[]) =>
    percentile(
      [...values].sort((a, b) => a - b),
      50,
    );
  const row = (label: string, samples: CpuRound[]) => {
    const m = {
      worker: median(samples.map((s) => s.cpu.worker)),
      temporal: median(samples.map((s) => s.cpu.temporal)),
      postgres: median(samples.map((s) => s.cpu.postgres)),
      total: median(samples.map((s) => s.cpu.worker + s.cpu.temporal + s.cpu.postgres)),
      rate: median(samples.map((s) => s.rate)),
      p50: median(samples.map((s) => s.p50)),
    };
    const ms = (x: number) => x.toFixed(1).padStart(6);
    console.log(
      `${label.padEnd(26)} cpu/instance total=${ms(m.total)} ms  worker=${ms(m.worker)}  temporal=${ms(m.temporal)}  postgres=${ms(m.postgres)}  ${m.rate.toFixed(1).padStart(6)} instances/s  p50=${ms(m.p50)} ms`,
    );
    return m;
  };
  console.log(
    `\nCPU per instance (net of idle): concurrency ${concurrency}, ${rounds} rounds x ${n} instances per side, medians`,
  );
  const i = row('interpreter (runProcess)', interp);
  const h = row('hand-written workflow', hand);
  const ratios = interp.map((r, k) => {
    const total = (c: CpuSample) => c.worker + c.temporal + c.postgres;
    return (total(r.cpu) / total(hand[k]!.cpu)).toFixed(2);
  });
  console.log(
    `interpreter/hand-written cpu ratio: total ${(i.total / h.total).toFixed(2)}  worker ${(i.worker / h.worker).toFixed(2)}  temporal ${(i.temporal / h.temporal).toFixed(2)}  (per round: ${ratios.join(' ')})`,
  );
  console.log(
    `interpreter/hand-written throughput ${(i.rate / h.rate).toFixed(2)}  p50 latency ${(i.p50 / h.p50).toFixed(2)}`,
  );
}
