import { afterEach, describe, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { repoPath } from './compose-file';

// deploy/healthcheck.mjs is what Docker runs in the api and worker containers.
const script = repoPath('deploy', 'healthcheck.mjs');
const servers: net.Server[] = [];

interface Outcome {
  code: number;
  output: string;
}

function runHealthcheck(role: string, env: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [script, role],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 15_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

async function listen(server: net.Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const tcpServer = () => listen(net.createServer((socket) => socket.end()));

const readyz = (status: number) =>
  listen(
    http.createServer((request, response) => {
      response.writeHead(request.url === '/readyz' ? status : 404).end();
    }),
  );

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('deploy/healthcheck.mjs api', () => {
  test('is healthy when GET /readyz answers 200 on PORT', async () => {
    const outcome = await runHealthcheck('api', { PORT: String(await readyz(200)) });
    expect(outcome).toEqual({ code: 0, output: expect.stringContaining('api healthy') });
  });

  test('is unhealthy when /readyz answers 503', async () => {
    const outcome = await runHealthcheck('api', { PORT: String(await readyz(503)) });
    expect(outcome).toEqual({ code: 1, output: expect.stringContaining('503') });
  });

  test('is unhealthy when nothing listens on PORT', async () => {
    const outcome = await runHealthcheck('api', { PORT: String(await closedPort()) });
    expect(outcome.code).toBe(1);
  });
});

describe('deploy/healthcheck.mjs worker', () => {
  async function workerEnv(ports: { temporal: number; postgres: number; smtp: number }) {
    return {
      TEMPORAL_ADDRESS: `127.0.0.1:${ports.temporal}`,
      DATABASE_URL: `postgres://crm:secret@127.0.0.1:${ports.postgres}/crm`,
      SMTP_URL: `smtp://127.0.0.1:${ports.smtp}`,
    };
  }

  test("with WORKER_HEALTH_PORT asks the worker's own /readyz", async () => {
    expect(await runHealthcheck('worker', { WORKER_HEALTH_PORT: String(await readyz(200)) })).toEqual({
      code: 0,
      output: expect.stringContaining('worker healthy: GET /readyz answered 200'),
    });
    const down = await runHealthcheck('worker', { WORKER_HEALTH_PORT: String(await readyz(503)) });
    expect(down).toEqual({ code: 1, output: expect.stringContaining('503') });
  });

  test('is healthy when Temporal, PostgreSQL and SMTP all accept connections', async () => {
    const env = await workerEnv({ temporal: await tcpServer(), postgres: await tcpServer(), smtp: await tcpServer() });
    const outcome = await runHealthcheck('worker', env);
    expect(outcome).toEqual({ code: 0, output: expect.stringContaining('worker healthy') });
  });

  test.each(['temporal', 'postgres', 'smtp'] as const)(
    'is unhealthy, naming it, when %s is unreachable',
    async (down) => {
      const ports = {
        temporal: await tcpServer(),
        postgres: await tcpServer(),
        smtp: await tcpServer(),
        [down]: await closedPort(),
      };
      const outcome = await runHealthcheck('worker', await workerEnv(ports));
      const variable = { temporal: 'TEMPORAL_ADDRESS', postgres: 'DATABASE_URL', smtp: 'SMTP_URL' }[down];
      expect(outcome).toEqual({ code: 1, output: expect.stringContaining(`${variable}: 127.0.0.1:${ports[down]}`) });
    },
  );

  test('is unhealthy when a variable is missing', async () => {
    const outcome = await runHealthcheck('worker', { TEMPORAL_ADDRESS: `127.0.0.1:${await tcpServer()}` });
    expect(outcome).toEqual({ code: 1, output: expect.stringContaining('DATABASE_URL is not set') });
  });
});

test('deploy/healthcheck.mjs rejects an unknown role', async () => {
  expect(await runHealthcheck('scheduler', {})).toEqual({ code: 1, output: expect.stringContaining('usage') });
});
