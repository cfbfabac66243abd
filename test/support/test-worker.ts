import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pino from 'pino';
import { Client } from '@temporalio/client';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { connectTemporalClient } from '../../runtime/temporal-client-connection';
import { openOrm, type Orm } from '../../db/orm';
import { createMailTransport } from '../../runtime/mailer';
import { startWorker, type RunningWorker } from '../../runtime/worker';
import { bundleWorkflows } from '../../simulator/workflow-bundle';
import { installTemporalRuntime } from '../../runtime/temporal-logging';
import { TEST_WORKFLOW_BUNDLE, testServers } from './test-env';
import { TEST_AUTH_SECRET } from './test-auth';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** Bundling takes seconds: once per run (the global setup's file), else once per test file. */
export function sharedWorkflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  const file = process.env[TEST_WORKFLOW_BUNDLE];
  bundle ??= file
    ? readFile(file, 'utf8').then((text) => JSON.parse(text) as WorkflowBundleWithSourceMap)
    : bundleWorkflows();
  return bundle;
}

export interface EngineHarness {
  orm: Orm;
  client: Client;
  taskQueue: string;
  worker: RunningWorker;
  close(): Promise<void>;
}

/**
 * A real worker with real activities against the shared servers, on a task queue of its
 * own so test files never steal each other's tasks. It connects as the application role, as
 * the product does, so nothing here can pass on the superuser's rights.
 */
export async function startEngineHarness(overrides: { smtpUrl?: string } = {}): Promise<EngineHarness> {
  const servers = testServers();
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'warn' });
  installTemporalRuntime(logger);
  const orm = await openOrm(servers.appDatabaseUrl, { poolMax: 5 });
  const mailer = createMailTransport(overrides.smtpUrl ?? servers.smtpUrl);
  const taskQueue = `test-${randomUUID()}`;
  const worker = await startWorker({
    address: servers.temporalAddress,
    namespace: servers.namespace,
    taskQueue,
    workflowBundle: await sharedWorkflowBundle(),
    deps: { orm, mailer, mailFrom: 'Test <engine@test.localhost>', logger, linkSecret: TEST_AUTH_SECRET },
  });
  const connection = await connectTemporalClient({ address: servers.temporalAddress });
  const client = new Client({ connection, namespace: servers.namespace });
  return {
    orm,
    client,
    taskQueue,
    worker,
    close: async () => {
      await worker.stop();
      await connection.close();
      mailer.close();
      await orm.close();
    },
  };
}
