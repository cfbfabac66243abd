import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { assertPortFree } from './port-check';
import { waitForTemporal } from './temporal-readiness';

export interface DevServerOptions {
  cliPath: string;
  host: string;
  port: number;
  /** Web UI port; `null` runs headless (tests). */
  uiPort: number | null;
  /** SQLite file that keeps the server's state across restarts; `null` keeps it in memory. */
  dbFile: string | null;
  namespace: string;
  logger: Logger;
  /** Where the server's own output goes; it can be long and is rarely needed. */
  logFile: string;
  readyTimeoutMs?: number;
  portVariables?: { port: string; uiPort: string };
}

export interface RunningDevServer {
  address: string;
  uiUrl: string | null;
  pid: number;
  /** Settles with the exit code once the server has exited, stopped or not. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * Runs `temporal server start-dev` ourselves rather than through the SDK, which gives a
 * server only 5 s to come up: too little on a loaded 2-core machine.
 */
export async function startTemporalDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const vars = options.portVariables ?? { port: 'TEMPORAL_PORT', uiPort: 'TEMPORAL_UI_PORT' };
  await assertPortFree(options.port, options.host, vars.port);
  if (options.uiPort !== null) await assertPortFree(options.uiPort, options.host, vars.uiPort);

  const args = [
    'server',
    'start-dev',
    '--ip',
    options.host,
    '--port',
    String(options.port),
    '--namespace',
    options.namespace,
    '--log-level',
    'warn',
  ];
  if (options.uiPort === null) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort));
  if (options.dbFile !== null) {
    fs.mkdirSync(path.dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
    // SQLite's defaults (a rollback journal, FULL sync) create, fsync and delete a journal file on
    // every commit, and the server commits for nearly every history event: a third of its CPU went
    // to the kernel under load. WAL with NORMAL sync is SQLite's recommended pair for this: no
    // commit is lost or corrupted by a crash of the server, only an OS crash or power loss can
    // drop the last commits before a checkpoint, and the file stays consistent.
    args.push('--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  }
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const out = fs.openSync(options.logFile, 'a');
  // Its own process group: a terminal's Ctrl-C must not stop it before the worker has drained.
  const child = spawn(options.cliPath, args, { stdio: ['ignore', out, out], detached: true });
  fs.closeSync(out);
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      process.removeListener('exit', killOnExit);
      resolve(code);
    }),
  );

  const address = `${options.host}:${options.port}`;
  try {
    await Promise.race([
      waitForTemporal(address, options.namespace, options.readyTimeoutMs ?? 90_000),
      exited.then((code) => {
        throw new Error(
          `temporal server start-dev exited with code ${code} before it was ready; see ${options.logFile}`,
        );
      }),
    ]);
  } catch (error) {
    await stopChild(child, exited);
    throw error;
  }
  options.logger.info({ address, pid: child.pid }, 'Temporal dev server ready');
  return {
    address,
    uiUrl: options.uiPort === null ? null : `http://${options.host}:${options.uiPort}`,
    pid: child.pid!,
    exited,
    stop: () => stopChild(child, exited),
  };
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  // Within the 10 s a SIGTERM of `npm start` has for everything.
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}
