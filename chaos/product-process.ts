import fs from 'node:fs';
import path from 'node:path';
import type { Component, ComponentName } from './environment';
import { spawnProductProcess, type SpawnedProcess } from './spawned-process';

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * A node process of the product (`entry` run with tsx) as a component: SIGKILLed on `kill`, and
 * reported to `onUnplannedExit` when it exits without being killed.
 */
export function productProcess(
  name: ComponentName,
  entry: string | { entry: string; args: string[] },
  ready: RegExp,
  logFile: string,
  onUnplannedExit: (name: ComponentName) => void,
  env: NodeJS.ProcessEnv,
): Component {
  let running: SpawnedProcess | undefined;
  let killing = false;
  return {
    name,
    up: false,
    async kill() {
      killing = true;
      running?.kill('SIGKILL');
      this.up = false;
      await running?.exited;
    },
    async start() {
      if (env.DATA_DIR) fs.mkdirSync(env.DATA_DIR, { recursive: true });
      killing = false;
      const started = await again(name, () =>
        spawnProductProcess({
          ...(typeof entry === 'string'
            ? { entry: path.join(ROOT, entry) }
            : { ...entry, entry: path.join(ROOT, entry.entry) }),
          env,
          logFile,
          ready,
          timeoutMs: 240_000,
        }),
      );
      running = started;
      this.up = true;
      void started.exited.then(() => {
        if (killing || running !== started) return;
        this.up = false;
        onUnplannedExit(name);
      });
    },
  };
}

/**
 * A server killed a moment ago may still hold its port or its lock file (PostgreSQL's backends
 * outlive a SIGKILLed postmaster for a moment): starting again is tried for up to a minute.
 */
export async function again<T>(what: string, start: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await start();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${what} did not start again`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}
