import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

/** A node process of the product (API, worker, SMTP sink) the chaos runner starts, kills and starts again. */
export interface SpawnedProcess {
  pid: number;
  /** Resolves when the process has exited, however it ended. */
  exited: Promise<void>;
  kill(signal: NodeJS.Signals): void;
}

/**
 * Spawns `node --import tsx <entry>` with its output appended to `logFile`, and resolves once a
 * line of its standard output matches `ready` (or rejects when it exits first or takes longer
 * than `timeoutMs`). Its own process group, so a kill reaches nothing but it.
 */
export async function spawnProductProcess(options: {
  entry: string;
  args?: string[];
  env: NodeJS.ProcessEnv;
  logFile: string;
  ready: RegExp;
  timeoutMs: number;
}): Promise<SpawnedProcess> {
  const log = fs.createWriteStream(options.logFile, { flags: 'a' });
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', options.entry, ...(options.args ?? [])], {
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => log.end());
  child.stderr?.pipe(log, { end: false });
  // A runner that dies must not leave the product running.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.removeListener('exit', killOnExit));

  let seen = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${options.entry} not ready after ${options.timeoutMs} ms; see ${options.logFile}`)),
        options.timeoutMs,
      );
      child.stdout?.on('data', (chunk: Buffer) => {
        log.write(chunk);
        seen = (seen + chunk.toString()).slice(-8000);
        if (options.ready.test(seen)) {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`${options.entry} exited while starting; see ${options.logFile}`));
      });
    });
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
  return {
    pid: child.pid ?? 0,
    exited,
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

/** Pids whose command line holds `argument` (e.g. a data file only one server was given). */
export function pidsWithArgument(argument: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.includes(argument)) pids.push(Number(entry));
    } catch {
      // Gone while we looked.
    }
  }
  return pids;
}
