import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startTemporalCluster, type RunningTemporalCluster } from './temporal-cluster';
import { ensureTemporalServerBinaries } from './temporal-server-build';

/**
 * The real Temporal server on PostgreSQL, built from Go modules into `.tools`:
 *   npm run temporal:build               builds it (skipped when this version's binaries exist)
 *   npm run temporal:cluster             builds, starts it and its PostgreSQL in a temporary folder, prints
 *                                        TEMPORAL_ADDRESS and runs until Ctrl-C
 *   npm run test:cluster [-- jest args]  builds, starts it, runs the end-to-end suite (default test/e2e)
 *                                        with TEMPORAL_ADDRESS pointing at it, stops it; jest's exit code
 * TEMPORAL_NAMESPACE names the namespace (default `default`); LOG_LEVEL the runner's logging (warn).
 */
const TOOLS_DIR = path.resolve('.tools');

async function main(): Promise<number> {
  const [command = 'start', ...rest] = process.argv.slice(2);
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
  const started = Date.now();
  const binaries = await ensureTemporalServerBinaries({ toolsDir: TOOLS_DIR, log: (line) => console.log(line) });
  console.log(`Temporal server ${binaries.version} binaries ready after ${seconds(started)} s`);
  if (command === 'build') return 0;
  if (command !== 'start' && command !== 'test') throw new Error(`unknown command ${command}: build, start or test`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-temporal-cluster-'));
  // As root, PostgreSQL runs as a `postgres` user that must be able to enter this folder.
  fs.chmodSync(dir, 0o755);
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  const clusterStarted = Date.now();
  let cluster: RunningTemporalCluster | undefined;
  const stop = async (): Promise<void> => {
    await cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    cluster = await startTemporalCluster({ dir, binaries, namespace, logger });
    console.log(`Temporal cluster up after ${seconds(clusterStarted)} s`);
    console.log(`TEMPORAL_ADDRESS=${cluster.address} TEMPORAL_NAMESPACE=${namespace}  (server log ${cluster.logFile})`);
    if (command === 'start') {
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      return 0;
    }
    const suiteStarted = Date.now();
    const code = await runJest(rest.length > 0 ? rest : ['test/e2e'], {
      TEMPORAL_ADDRESS: cluster.address,
      TEMPORAL_NAMESPACE: namespace,
    });
    console.log(`end-to-end suite on the Temporal cluster: exit ${code} after ${seconds(suiteStarted)} s`);
    return code;
  } finally {
    await stop();
  }
}

/** The jest the `npm run jest` script runs, with the cluster in its environment; Ctrl-C reaches both. */
async function runJest(args: string[], env: Record<string, string>): Promise<number> {
  const child = spawn(
    process.execPath,
    ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', 'node_modules/jest/bin/jest.js', ...args],
    { env: { ...process.env, ...env }, stdio: 'inherit' },
  );
  const forward = (signal: NodeJS.Signals): void => void child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const code = await new Promise<number>((resolve) =>
    child.once('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))),
  );
  process.off('SIGINT', forward);
  process.off('SIGTERM', forward);
  return code;
}

function seconds(since: number): string {
  return ((Date.now() - since) / 1000).toFixed(0);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
