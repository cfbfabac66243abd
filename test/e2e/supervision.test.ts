import { afterAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { resolveTemporalCli } from '../../runtime/tool-paths';
import { eventually } from '../support/eventually';
import {
  ownerOfNewLead,
  pickProductPorts,
  processesUsing,
  startProductProcess,
  waitForHttp,
  type ProductPorts,
  type ProductProcess,
} from '../support/product-process';

const READY_TIMEOUT_MS = 90_000;

/** Pids of the watchdogs a product process started (they name its pid first). */
function watchdogsOf(parent: number): number[] {
  const pids: number[] = [];
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const at = args.findIndex((arg) => arg.endsWith('watchdog.mjs'));
      if (at >= 0 && args[at + 1] === String(parent)) pids.push(Number(pid));
    } catch {
      // gone between readdir and read
    }
  }
  return pids;
}

function pidOf(dataDir: string, pattern: RegExp): number {
  const line = processesUsing(dataDir).find((entry) => pattern.test(entry));
  if (line === undefined) throw new Error(`no process matching ${pattern} under ${dataDir}`);
  return Number(line.split(':')[0]);
}

async function readyz(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** `npm start` supervising its embedded servers: they die with it, come back after a crash, and a stop is bounded. */
describe('supervised embedded servers', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-engine-supervise-'));
  fs.chmodSync(dataDir, 0o755);
  const running: ProductProcess[] = [];
  const toolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-engine-cli-'));
  let ports: ProductPorts;
  afterAll(async () => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await eventually(() => (processesUsing(dataDir).length === 0 ? true : undefined), {
      description: 'no server left',
      timeoutMs: 15_000,
      intervalMs: 200,
    }).catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(toolDir, { recursive: true, force: true });
  });

  const start = async (extraEnv: NodeJS.ProcessEnv = {}, readyUrl = `http://127.0.0.1:${ports.api}/readyz`) => {
    const product = startProductProcess(dataDir, ports, extraEnv);
    running.push(product);
    await waitForHttp(readyUrl, READY_TIMEOUT_MS).catch((error: unknown) => {
      throw new Error(`${String(error)}\n--- output ---\n${product.output()}`);
    });
    return product;
  };

  it('leaves no server behind when npm start is SIGKILLed, and the next start on the folder comes up', async () => {
    ports = await pickProductPorts();
    const first = await start();
    const children = processesUsing(dataDir);
    expect(children.some((line) => line.includes('postgres'))).toBe(true);
    expect(children.some((line) => line.includes('start-dev'))).toBe(true);
    expect(children.some((line) => line.includes('smtp-sink'))).toBe(true);
    expect(watchdogsOf(first.child.pid!)).toHaveLength(3);
    const ready = await readyz(`http://127.0.0.1:${ports.api}/readyz`);
    expect(ready.body).toEqual({
      status: 'ready',
      checks: { database: 'ok', temporal: 'ok', worker: 'ok' },
      services: { postgres: 'up', temporal: 'up', smtp: 'up' },
    });

    first.child.kill('SIGKILL');
    await eventually(() => (processesUsing(dataDir).length === 0 ? true : undefined), {
      description: 'the embedded servers to die with npm start',
      timeoutMs: 15_000,
      intervalMs: 100,
    });

    const second = await start();
    expect(second.output()).not.toContain('already in use');
  }, 240_000);

  it('restarts a crashed Temporal server while /readyz names it, and processes still start', async () => {
    const temporal = pidOf(dataDir, /start-dev/);
    process.kill(temporal, 'SIGKILL');
    // Probes from the moment the supervisor has seen the exit: it then says `restarting` for at
    // least its 1 s delay. A probe sent at once could start before the exit reached the supervisor
    // and, its Temporal check riding out the restart on the client's retries, end with everything
    // up again (seen in CI under load: every answer 200).
    await eventually(
      () => (/temporal server exited; restarting in 1 s/.test(running.at(-1)!.output()) ? true : undefined),
      { description: 'the supervisor to see the Temporal server exit', timeoutMs: 15_000, intervalMs: 20 },
    );
    const seen: string[] = [];
    const down = await eventually(
      async () => {
        const answer = await readyz(`http://127.0.0.1:${ports.api}/readyz`);
        const services = answer.body.services as Record<string, string> | undefined;
        seen.push(`${answer.status} ${JSON.stringify(services)}`);
        // A probe that began before the exit reached the supervisor may end after the restart:
        // it names Temporal through its failed check rather than its state.
        return answer.status === 503 && /temporal/.test(String(answer.body.detail)) ? answer.body : undefined;
      },
      { description: '/readyz to answer 503 naming Temporal', timeoutMs: 15_000, intervalMs: 100 },
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; seen: ${[...new Set(seen)].join(', ')}\n${running.at(-1)!.output()}`);
    });
    expect(down.services).toMatchObject({ postgres: 'up', smtp: 'up' });
    expect(down.checks).toMatchObject({ database: 'ok' });
    expect(down.detail).toMatch(/temporal/);
    await waitForHttp(`http://127.0.0.1:${ports.api}/readyz`, READY_TIMEOUT_MS);
    expect(pidOf(dataDir, /start-dev/)).not.toBe(temporal);
    expect(running.at(-1)!.output()).toMatch(/temporal server exited; restarting in 1 s/);

    const owner = await ownerOfNewLead(ports.api, `Supervised ${randomUUID().slice(0, 8)}`, 30_000);
    expect(owner).toMatch(/^u-rep-east-/);
  }, 180_000);

  it('stops what the pid files name when the watchdogs were killed too; a worker-only process has its own health endpoint', async () => {
    const previous = running.at(-1)!;
    const leftovers = processesUsing(dataDir).map((line) => Number(line.split(':')[0]));
    for (const pid of watchdogsOf(previous.child.pid!)) process.kill(pid, 'SIGKILL');
    previous.child.kill('SIGKILL');
    await previous.exited;
    expect(processesUsing(dataDir).length).toBeGreaterThan(0);

    const healthPort = (await pickProductPorts()).api;
    const health = `http://127.0.0.1:${healthPort}`;
    // The Temporal CLI through a link this test removes later, so that the server cannot come back.
    const cli = path.join(toolDir, 'temporal');
    fs.symlinkSync(resolveTemporalCli().path, cli);
    const worker = await start(
      { ROLES: 'worker', WORKER_HEALTH_PORT: String(healthPort), TEMPORAL_CLI_PATH: cli },
      `${health}/readyz`,
    );
    expect(worker.output()).toMatch(/stopped the (postgres|temporal) server a previous start left running/);
    for (const pid of leftovers) expect(processesUsing(dataDir).some((line) => line.startsWith(`${pid}:`))).toBe(false);
    expect(await fetch(`${health}/healthz`).then((r) => r.json())).toEqual({ status: 'ok' });
    expect((await readyz(`${health}/readyz`)).body).toMatchObject({
      status: 'ready',
      checks: { database: 'ok', temporal: 'ok', worker: 'ok' },
    });
    // No API in this process.
    await expect(fetch(`http://127.0.0.1:${ports.api}/healthz`)).rejects.toThrow();

    // Temporal killed, and its CLI gone so that it cannot come back.
    fs.rmSync(cli);
    process.kill(pidOf(dataDir, /start-dev/), 'SIGKILL');
    const down = await eventually(
      async () => {
        const answer = await readyz(`${health}/readyz`);
        return answer.status === 503 ? answer : undefined;
      },
      { description: 'the worker health to answer 503', timeoutMs: 15_000, intervalMs: 100 },
    );
    expect(down.body).toMatchObject({ checks: { temporal: 'failed', worker: 'failed' } });
    expect(down.body.detail).toMatch(/temporal/);

    const began = Date.now();
    worker.child.kill('SIGTERM');
    const exit = await worker.exited;
    expect(Date.now() - began).toBeLessThan(10_000);
    expect(exit.signal).toBeNull();
    await eventually(() => (processesUsing(dataDir).length === 0 ? true : undefined), {
      description: 'no server left after SIGTERM',
      timeoutMs: 10_000,
      intervalMs: 100,
    });
  }, 240_000);
});
