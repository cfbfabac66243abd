import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Logger } from 'pino';
import { pidFilePath, removePidFile, stopLeftover, writePidFile, type PidRecord } from './pid-files';

/** One run of an embedded server: started and ready. */
export interface ServiceRun<T> {
  value: T;
  pid: number;
  /** Settles when the process has exited, for whatever reason. */
  exited: Promise<unknown>;
  stop(): Promise<void>;
}

export interface ServiceSpec<T> {
  /** As logged and reported by /readyz (`postgres`, `temporal`, `smtp`). */
  name: string;
  dataDir: string;
  /** How the watchdog and the next start stop it: its signal, and whether its whole process group gets it. */
  stopSignal: NodeJS.Signals;
  scope: PidRecord['scope'];
  /** Text in its command line that identifies it as this data folder's server. */
  marker: string;
  start(): Promise<ServiceRun<T>>;
  logger: Logger;
}

export type ServiceState = 'up' | 'restarting' | 'down';

export interface SupervisedService<T> {
  name: string;
  /** The first run's value (URLs and such stay the same across restarts). */
  value: T;
  state(): ServiceState;
  stop(): Promise<void>;
}

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;
/** A run that lasted this long was healthy: the next crash starts the backoff over. */
const STABLE_MS = 60_000;
const WATCHDOG = path.join(import.meta.dirname, 'watchdog.mjs');

/**
 * Starts an embedded server and keeps it running: a crash is logged and followed by a new start
 * after 1 s, doubling to 30 s while starts fail. The server dies with this process even on SIGKILL
 * (a watchdog process per server), and a pid file in the data folder lets the next start stop what
 * a killed watchdog left behind. The first start's failure is the caller's error.
 */
export async function superviseService<T>(spec: ServiceSpec<T>): Promise<SupervisedService<T>> {
  const log = spec.logger.child({ service: spec.name });
  const pidFile = pidFilePath(spec.dataDir, spec.name);
  const stale = await stopLeftover(pidFile, spec.dataDir);
  if (stale !== null) log.warn({ pid: stale }, `stopped the ${spec.name} server a previous start left running`);

  let state: ServiceState = 'up';
  let stopping = false;
  let wakeUp: (() => void) | null = null;
  const begin = async (): Promise<ServiceRun<T>> => {
    const run = await spec.start();
    writePidFile(pidFile, {
      pid: run.pid,
      owner: process.pid,
      marker: spec.marker,
      signal: spec.stopSignal,
      scope: spec.scope,
    });
    spawn(process.execPath, [WATCHDOG, String(process.pid), String(run.pid), spec.stopSignal, spec.scope], {
      detached: true,
      stdio: 'ignore',
    }).unref();
    return run;
  };
  let current = await begin();
  const first = current.value;

  const keepRunning = async (): Promise<void> => {
    let delay = FIRST_DELAY_MS;
    let startedAt = Date.now();
    for (;;) {
      const exit = await current.exited;
      if (stopping) return;
      state = 'restarting';
      if (Date.now() - startedAt >= STABLE_MS) delay = FIRST_DELAY_MS;
      log.warn({ exit, pid: current.pid }, `${spec.name} server exited; restarting in ${delay / 1000} s`);
      for (;;) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wakeUp = null;
        if (stopping) return;
        try {
          current = await begin();
          if (stopping) {
            await current.stop();
            return;
          }
          startedAt = Date.now();
          state = 'up';
          log.info({ pid: current.pid }, `${spec.name} server restarted`);
          break;
        } catch (error) {
          delay = Math.min(delay * 2, MAX_DELAY_MS);
          log.warn({ err: error }, `${spec.name} server did not start; next try in ${delay / 1000} s`);
        }
        if (stopping) return;
      }
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
  };
  void keepRunning().catch((error: unknown) => {
    state = 'down';
    log.error({ err: error }, `${spec.name} server is no longer supervised`);
  });

  return {
    name: spec.name,
    value: first,
    state: () => (stopping ? 'down' : state),
    stop: async () => {
      stopping = true;
      wakeUp?.();
      if (state === 'up') await current.stop();
      removePidFile(pidFile);
    },
  };
}
