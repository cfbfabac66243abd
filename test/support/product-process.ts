import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { findFreePort } from '../../runtime/port-check';
import { resolveTemporalCli } from '../../runtime/tool-paths';
import { eventually } from './eventually';

export interface ProductPorts {
  api: number;
  postgres: number;
  temporal: number;
  temporalUi: number;
  smtp: number;
  mailUi: number;
  /** The Temporal SDK's metrics exporter: its default (9464) is one per machine, and test files run side by side. */
  temporalMetrics: number;
}

export async function pickProductPorts(): Promise<ProductPorts> {
  // Sequential, so one call never hands out the same port twice.
  const ports: number[] = [];
  while (ports.length < 7) {
    const port = await findFreePort();
    if (!ports.includes(port)) ports.push(port);
  }
  const [api, postgres, temporal, temporalUi, smtp, mailUi, temporalMetrics] = ports as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return { api, postgres, temporal, temporalUi, smtp, mailUi, temporalMetrics };
}

export interface ProductProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the product's start entry point as `npm start` does, with its own data folder and ports. */
export function startProductProcess(
  dataDir: string,
  ports: ProductPorts,
  extraEnv: NodeJS.ProcessEnv = {},
): ProductProcess {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    PORT: String(ports.api),
    EMBEDDED_PG_PORT: String(ports.postgres),
    TEMPORAL_PORT: String(ports.temporal),
    TEMPORAL_UI_PORT: String(ports.temporalUi),
    SMTP_SINK_PORT: String(ports.smtp),
    MAIL_UI_PORT: String(ports.mailUi),
    TEMPORAL_METRICS_PORT: String(ports.temporalMetrics),
    TEMPORAL_CLI_PATH: resolveTemporalCli().path,
    ...extraEnv,
  };
  // As `npm start` runs it: node with tsx's loader, no tsx CLI parent in between (see package.json).
  const child = spawn(process.execPath, ['--import', 'tsx', 'runtime/start.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return { child, output: () => output, exited };
}

export async function waitForHttp(url: string, timeoutMs: number, expectStatus = 200): Promise<Response> {
  let last = 'no answer';
  return eventually(
    async () => {
      try {
        const response = await fetch(url);
        if (response.status === expectStatus) return response;
        last = `status ${response.status}`;
      } catch (error) {
        last = String(error);
      }
      return undefined;
    },
    { description: `${url} to answer ${expectStatus}`, timeoutMs, intervalMs: 250 },
  ).catch(() => {
    throw new Error(`${url} did not answer ${expectStatus} within ${timeoutMs} ms (last: ${last})`);
  });
}

/** Processes whose command line mentions the folder: the servers a product process started. */
export function processesUsing(dir: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(dir)) found.push(`${pid}: ${cmd.trim()}`);
    } catch {
      // gone between readdir and read
    }
  }
  return found;
}

/**
 * Creates an east/erp web lead through a running product's API (as the demo admin) and waits for
 * the lead-assignment process to give it an owner: the proof that API, worker, Temporal and the
 * built-in templates work together. Returns the owner's user id.
 */
export async function ownerOfNewLead(apiPort: number, company: string, timeoutMs: number): Promise<string> {
  const api = `http://127.0.0.1:${apiPort}/api/v1`;
  const headers = { 'content-type': 'application/json', 'x-api-key': 'demo-admin-key' };
  const posted = await fetch(`${api}/leads`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ source: 'web', company, contactName: 'Li', region: 'east', productInterest: 'erp' }),
  });
  if (posted.status !== 201) throw new Error(`POST /leads answered ${posted.status}: ${await posted.text()}`);
  const { lead } = (await posted.json()) as { lead: { id: string } };
  return eventually(
    async () =>
      ((await fetch(`${api}/leads/${lead.id}`, { headers }).then((r) => r.json())) as { ownerId: string | null })
        .ownerId ?? undefined,
    { description: 'the lead to get an owner', timeoutMs, intervalMs: 200 },
  );
}
