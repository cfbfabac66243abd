import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { EphemeralEnvironment } from '../runtime/ephemeral-environment';

/** The product started as production starts it (`runtime/start.ts`), as a child of a benchmark. */
export interface ProductProcess {
  child: ChildProcess;
  port: number | null;
  exited: Promise<void>;
}

export interface ProductOptions {
  /** `api`, `worker` or `api,worker`. */
  roles: string;
  /** The API's port; null for a worker alone. */
  port: number | null;
  dataDir: string;
  addresses: EphemeralEnvironment['addresses'];
  authSecret: string;
  taskQueue: string;
}

export function startProduct(options: ProductOptions): ProductProcess {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const { addresses } = options;
  // BENCH_PRODUCT_CPU_PROF=<dir>: a `--cpu-prof` profile of each of the product's threads, written there at its exit.
  const profile = process.env.BENCH_PRODUCT_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PRODUCT_CPU_PROF}`]
    : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'runtime/start.ts'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ROLES: options.roles,
      HOST: '127.0.0.1',
      ...(options.port !== null ? { PORT: String(options.port) } : {}),
      DATA_DIR: options.dataDir,
      LOG_LEVEL: 'warn',
      DATABASE_URL: addresses.appDatabaseUrl,
      DATABASE_MIGRATION_URL: addresses.databaseUrl,
      TEMPORAL_ADDRESS: addresses.temporalAddress,
      TEMPORAL_NAMESPACE: addresses.namespace,
      TEMPORAL_TASK_QUEUE: options.taskQueue,
      SMTP_URL: addresses.smtpUrl,
      AUTH_SECRET: options.authSecret,
      // A benchmark's load comes from one client with one key: the per-minute limit would measure itself.
      RATE_LIMIT_PER_MINUTE: '1000000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, port: options.port, exited };
}

export async function stopProduct(product: ProductProcess): Promise<void> {
  if (product.child.exitCode !== null || product.child.signalCode !== null) return;
  product.child.kill('SIGTERM');
  const timer = setTimeout(() => product.child.kill('SIGKILL'), 15_000);
  await product.exited;
  clearTimeout(timer);
}
