import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { Client, type Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker } from '@temporalio/worker';
import { connectTemporalClient } from '../../runtime/temporal-client-connection';
import { createActivities } from '../../activities';
import { ACTIVITY_CATALOG } from '../../activities';
import { buildApp } from '../../api/app';
import type { WebAppOptions } from '../../api/plugins/web-app';
import { migrateDatabase, openOrm, type Orm } from '../../db/orm';
import { seedDemoCompany } from '../../db/seed/demo-company';
import { seedEngineUsers } from '../../db/seed/engine-users';
import { publishBuiltinTemplates } from '../../runtime/builtin-templates';
import { createMailTransport } from '../../runtime/mailer';
import { createReadinessChecks } from '../../runtime/readiness-checks';
import { installTemporalRuntime } from '../../runtime/temporal-logging';
import { registerSearchAttributes } from '../workflow/support/process-harness';
import { createScratchDatabase } from './scratch-database';
import { sharedWorkflowBundle } from './test-worker';
import { testServers } from './test-env';
import { TEST_AUTH, TEST_AUTH_SECRET } from './test-auth';
import { createTimeSkippingEnv } from './time-skipping';

export { eventually } from './eventually';

/** The PUBLIC_URL the harness's worker puts in front of links in mails. */
export const CRM_PUBLIC_URL = 'https://crm.test';

export interface CrmHarness {
  app: FastifyInstance;
  orm: Orm;
  client: Client;
  taskQueue: string;
  /** The time-skipping environment, when asked for one: `env.sleep('P3D')` moves its clock. */
  env?: TestWorkflowEnvironment;
  /** An API call with a user's API key. */
  call(apiKey: string, options: InjectOptions): Promise<LightMyRequestResponse>;
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * The product as a client meets it: the real API and a real worker running the built-in templates
 * (published from templates/*.yaml) with the real activities, PostgreSQL (a database of its own,
 * migrated, with the demo company) and the SMTP sink. On the shared dev server by default; on a
 * time-skipping test server of its own for the long waits.
 */
export async function startCrmHarness(
  options: { timeSkipping?: boolean; web?: WebAppOptions } = {},
): Promise<CrmHarness> {
  const servers = testServers();
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'warn' });
  installTemporalRuntime(logger);
  // A database of its own: the built-in templates it publishes would otherwise start on every lead,
  // order and ticket other test files create, and assignment would choose among their people.
  const database = await createScratchDatabase('crm_process');
  const owner = await openOrm(database.url, { poolMax: 2 });
  await migrateDatabase(owner).finally(() => owner.close());
  // As the product runs: the application role, which may append to audit_log but not change it.
  const orm = await openOrm(database.appUrl, { poolMax: 6 });
  const mailer = createMailTransport(servers.smtpUrl);
  const taskQueue = `crm-${randomUUID()}`;
  // The demo data goes in while the worker starts: the one mostly waits on PostgreSQL, the other
  // on Temporal and on loading the workflow bundle. The API is built once both are there.
  const [, temporal] = await Promise.all([
    seedDemoData(orm, logger),
    startWorker({ orm, mailer, logger, taskQueue, timeSkipping: options.timeSkipping ?? false }),
  ]);
  const { env, nativeConnection, client, connection, worker } = temporal;
  const running = worker.run();

  const app = await buildApp({
    readiness: createReadinessChecks(orm, client.connection as never, servers.namespace),
    engine: { orm, client, taskQueue, catalog: ACTIVITY_CATALOG, triggerPollMs: 200, auth: TEST_AUTH },
    ...(options.web ? { web: options.web } : {}),
  });
  await app.ready();
  return {
    app,
    orm,
    client,
    taskQueue,
    ...(env ? { env } : {}),
    call: (apiKey, request) => app.inject({ ...request, headers: { 'x-api-key': apiKey, ...request.headers } }),
    sql: (query, params = []) => orm.em.getConnection().execute(query, params as unknown[]),
    close: async () => {
      await app.close();
      worker.shutdown();
      await running;
      if (env) await env.teardown();
      else await nativeConnection.close();
      await connection?.close();
      mailer.close();
      await orm.close();
      await database.drop();
    },
  };
}

/** The demo company's people, records and the built-in templates, as `npm start` loads them. */
async function seedDemoData(orm: Orm, logger: Logger): Promise<void> {
  await seedEngineUsers(orm.em.fork(), TEST_AUTH_SECRET);
  await seedDemoCompany(orm.em.fork());
  await publishBuiltinTemplates(orm.em.fork(), ACTIVITY_CATALOG, logger);
}

/** A worker with the real activities, on the shared dev server or a time-skipping server of its own. */
async function startWorker(options: {
  orm: Orm;
  mailer: ReturnType<typeof createMailTransport>;
  logger: Logger;
  taskQueue: string;
  timeSkipping: boolean;
}) {
  const servers = testServers();
  let env: TestWorkflowEnvironment | undefined;
  let nativeConnection: NativeConnection;
  let client: Client;
  let connection: Connection | undefined;
  if (options.timeSkipping) {
    env = await createTimeSkippingEnv();
    await registerSearchAttributes(env);
    nativeConnection = env.nativeConnection;
    client = env.client;
  } else {
    nativeConnection = await NativeConnection.connect({ address: servers.temporalAddress });
    connection = await connectTemporalClient({ address: servers.temporalAddress });
    client = new Client({ connection, namespace: servers.namespace });
  }
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: options.timeSkipping ? 'default' : servers.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: await sharedWorkflowBundle(),
    activities: createActivities({
      orm: options.orm,
      mailer: options.mailer,
      mailFrom: 'CRM Engine <engine@test.localhost>',
      publicUrl: CRM_PUBLIC_URL,
      linkSecret: TEST_AUTH_SECRET,
      logger: options.logger,
    }),
    workflowThreadPoolSize: 1,
  });
  return { env, nativeConnection, client, connection, worker };
}
