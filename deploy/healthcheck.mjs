// Container healthcheck of the app image: `node deploy/healthcheck.mjs api|worker`.
// Exit 0 = healthy, 1 = unhealthy; the message lands in `docker inspect` health logs.
//
// api:    the API's own readiness, GET /readyz (PostgreSQL and Temporal reachable).
// worker: its own readiness, GET /readyz on WORKER_HEALTH_PORT (its worker polls, PostgreSQL and
//         Temporal answer). Without that port it serves no HTTP, so check what decides whether
//         this replica can do work: it reaches the Temporal frontend it polls and the PostgreSQL
//         and SMTP servers its activities write to. A crashed worker process ends the container anyway.
// Plain JavaScript without dependencies, so a check costs one short Node start.
import net from 'node:net';

const TIMEOUT_MS = 4000;

async function checkApi() {
  return checkReadyz(process.env.PORT || '3000');
}

async function checkReadyz(port) {
  const response = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!response.ok) throw new Error(`GET /readyz answered ${response.status}`);
  return `GET /readyz answered ${response.status}`;
}

function endpointFromUrl(name, defaultPorts) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  const url = new URL(value);
  const port = url.port || defaultPorts[url.protocol];
  return { name, host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(port) };
}

function endpointFromAddress(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  const separator = value.lastIndexOf(':');
  return { name, host: value.slice(0, separator), port: Number(value.slice(separator + 1)) };
}

function connect({ name, host, port }) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const fail = (reason) => {
      socket.destroy();
      reject(new Error(`${name}: ${host}:${port} ${reason}`));
    };
    socket.setTimeout(TIMEOUT_MS, () => fail('timed out'));
    socket.once('error', (error) => fail(error.message));
    socket.once('connect', () => {
      socket.end();
      resolve(`${host}:${port}`);
    });
  });
}

async function checkWorker() {
  if (process.env.WORKER_HEALTH_PORT) return checkReadyz(process.env.WORKER_HEALTH_PORT);
  const endpoints = [
    endpointFromAddress('TEMPORAL_ADDRESS'),
    endpointFromUrl('DATABASE_URL', { 'postgres:': '5432', 'postgresql:': '5432' }),
    endpointFromUrl('SMTP_URL', { 'smtp:': '587', 'smtps:': '465' }),
  ];
  const reached = await Promise.all(endpoints.map(connect));
  return `reached ${reached.join(', ')}`;
}

const checks = { api: checkApi, worker: checkWorker };
const role = process.argv[2] ?? '';
const check = checks[role];
if (!check) {
  console.error(`usage: node deploy/healthcheck.mjs ${Object.keys(checks).join('|')}`);
  process.exit(1);
}
try {
  console.log(`${role} healthy: ${await check()}`);
  process.exit(0);
} catch (error) {
  console.log(`${role} unhealthy: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
