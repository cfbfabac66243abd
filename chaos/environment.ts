import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { connectTemporalClient } from '../runtime/temporal-client-connection';
import { APP_ROLE } from '../db/audit/audit-chain';
import { embeddedAppPassword, prepareDatabase, urlWithRole } from '../runtime/database-roles';
import { startEmbeddedPostgres, type RunningPostgres } from '../runtime/embedded-postgres';
import { findFreePort } from '../runtime/port-check';
import { startTemporalDevServer, type RunningDevServer } from '../runtime/temporal-dev-server';
import { registerSearchAttributes } from '../runtime/temporal-readiness';
import { resolveTemporalCli } from '../runtime/tool-paths';
import { again, productProcess } from './product-process';
import { pidsWithArgument } from './spawned-process';

export type ComponentName = 'postgres' | 'temporal' | 'smtp' | 'api' | `worker-${number}`;

/** One server or process of the product as a process manager sees it: up, killed, started again. */
export interface Component {
  name: ComponentName;
  up: boolean;
  /** SIGKILL (the SMTP sink: taken down the way a relay goes away). */
  kill(): Promise<void>;
  start(): Promise<void>;
}

export interface ChaosEnvironment {
  workDir: string;
  apiUrl: string;
  /** The database owner: the audit reads everything. */
  ownerDatabaseUrl: string;
  mailDir: string;
  components: Map<ComponentName, Component>;
  /** Product processes that exited without being killed (and were started again, as a process manager would). */
  unplannedExits: { name: ComponentName; at: string }[];
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

/**
 * The product as production runs it, each part a separate process on free loopback ports under one
 * temporary DATA_DIR: PostgreSQL, the Temporal dev server (SQLite file, so a restart keeps its
 * state), the SMTP sink, one API process (ROLES=api) and `workers` worker processes (ROLES=worker),
 * all pointed at each other by DATABASE_URL / TEMPORAL_ADDRESS / SMTP_URL.
 */
export async function startChaosEnvironment(logger: Logger, workers: number): Promise<ChaosEnvironment> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-chaos-'));
  // As root, PostgreSQL runs as a `postgres` user that must be able to enter this folder.
  fs.chmodSync(workDir, 0o755);
  fs.mkdirSync(path.join(workDir, 'logs'));
  const ports: number[] = [];
  while (ports.length < 5) {
    const port = await findFreePort();
    if (!ports.includes(port)) ports.push(port);
  }
  const [pgPort, temporalPort, smtpPort, mailUiPort, apiPort] = ports as [number, number, number, number, number];
  const mailDir = path.join(workDir, 'mail');
  const temporalDb = path.join(workDir, 'temporal', 'temporal.db');
  const components = new Map<ComponentName, Component>();
  const unplannedExits: { name: ComponentName; at: string }[] = [];
  let stopping = false;
  const onUnplannedExit = (name: ComponentName): void => {
    if (stopping) return;
    unplannedExits.push({ name, at: new Date().toISOString() });
    logger.warn(`${name} exited on its own; starting it again`);
    setTimeout(
      () =>
        void components
          .get(name)
          ?.start()
          .catch((error: unknown) => logger.error({ err: error }, `${name} did not start again`)),
      1_000,
    );
  };
  const add = (component: Component): void => void components.set(component.name, component);
  const log = (name: string): string => path.join(workDir, 'logs', `${name}.log`);

  let pg: RunningPostgres | undefined;
  add({
    name: 'postgres',
    up: false,
    async kill() {
      const pidFile = path.join(pg?.dataDir ?? '', 'postmaster.pid');
      const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
      process.kill(pid, 'SIGKILL');
      this.up = false;
      await pg?.stop();
    },
    async start() {
      pg = await again('PostgreSQL', () =>
        startEmbeddedPostgres({
          dir: path.join(workDir, 'postgres'),
          port: pgPort,
          host: HOST,
          database: 'crm',
          logger,
        }),
      );
      this.up = true;
    },
  });
  let temporal: RunningDevServer | undefined;
  add({
    name: 'temporal',
    up: false,
    async kill() {
      for (const pid of pidsWithArgument(temporalDb)) process.kill(pid, 'SIGKILL');
      this.up = false;
      await temporal?.stop();
    },
    async start() {
      temporal = await again('Temporal', () =>
        startTemporalDevServer({
          cliPath: resolveTemporalCli().path,
          host: HOST,
          port: temporalPort,
          uiPort: null,
          dbFile: temporalDb,
          namespace: 'default',
          logger,
          logFile: log('temporal'),
        }),
      );
      this.up = true;
    },
  });
  add(
    productProcess(
      'smtp',
      // The product's own sink process; without an IPC channel it reports `ready <url>` on its output.
      { entry: 'runtime/smtp-sink/main.ts', args: [HOST, String(smtpPort), String(mailUiPort), mailDir, 'warn'] },
      /^ready /m,
      log('smtp'),
      onUnplannedExit,
      process.env,
    ),
  );

  // The three servers need nothing of each other: they start side by side.
  await Promise.all((['postgres', 'temporal', 'smtp'] as const).map((name) => components.get(name)!.start()));
  const ownerDatabaseUrl = `postgresql://postgres:postgres@${HOST}:${pgPort}/crm`;
  const appDatabaseUrl = urlWithRole(
    ownerDatabaseUrl,
    APP_ROLE,
    embeddedAppPassword(path.join(workDir, 'postgres-app-password')),
  );
  await prepareDatabase({ appUrl: appDatabaseUrl, ownerUrl: ownerDatabaseUrl });
  const connection = await connectTemporalClient({ address: `${HOST}:${temporalPort}` });
  try {
    await registerSearchAttributes(connection, 'default');
  } finally {
    await connection.close();
  }

  const authSecret = randomBytes(32).toString('hex');
  const productEnv = (roles: string, dataDir: string): NodeJS.ProcessEnv => ({
    ...process.env,
    ROLES: roles,
    HOST,
    PORT: String(apiPort),
    DATA_DIR: dataDir,
    DATABASE_URL: appDatabaseUrl,
    DATABASE_MIGRATION_URL: ownerDatabaseUrl,
    TEMPORAL_ADDRESS: `${HOST}:${temporalPort}`,
    SMTP_URL: `smtp://${HOST}:${smtpPort}`,
    AUTH_SECRET: authSecret,
    DEMO_DATA: 'true',
    LOG_LEVEL: process.env.CHAOS_PRODUCT_LOG_LEVEL ?? 'info',
    // The burst is one client; its rate is the point, not an abuse.
    RATE_LIMIT_PER_MINUTE: '0',
    RATE_LIMIT_EVENTS_PER_RECORD_PER_MINUTE: '0',
  });
  // start.ts prints this once the API listens or the worker polls.
  const ready = /CRM process engine is running/;
  add(
    productProcess(
      'api',
      'runtime/start.ts',
      ready,
      log('api'),
      onUnplannedExit,
      productEnv('api', path.join(workDir, 'api')),
    ),
  );
  for (let i = 1; i <= workers; i++) {
    const name = `worker-${i}` as const;
    add(
      productProcess(
        name,
        'runtime/start.ts',
        ready,
        log(name),
        onUnplannedExit,
        productEnv('worker', path.join(workDir, name)),
      ),
    );
  }
  // The API first: it seeds the demo data and publishes the built-in templates the workers then find.
  await components.get('api')!.start();
  await Promise.all([...components.values()].filter((c) => c.name.startsWith('worker-')).map((c) => c.start()));

  return {
    workDir,
    apiUrl: `http://${HOST}:${apiPort}`,
    ownerDatabaseUrl,
    mailDir,
    components,
    unplannedExits,
    async stop() {
      stopping = true;
      const order: ComponentName[] = ['api', ...workerNames(components), 'smtp', 'temporal', 'postgres'];
      for (const name of order) {
        const component = components.get(name)!;
        if (component.up) await component.kill().catch(() => undefined);
      }
      if (process.env.CHAOS_KEEP_DIR !== 'true') fs.rmSync(workDir, { recursive: true, force: true });
    },
  };
}

function workerNames(components: Map<ComponentName, Component>): ComponentName[] {
  return [...components.keys()].filter((name) => name.startsWith('worker-'));
}
