import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Connection } from '@temporalio/client';
import { startEmbeddedPostgres } from '../../runtime/embedded-postgres';
import { startTemporalDevServer } from '../../runtime/temporal-dev-server';
import { registerSearchAttributes } from '../../runtime/temporal-readiness';
import { startSmtpSink } from '../../runtime/smtp-sink';
import { findFreePort } from '../../runtime/port-check';
import { resolveTemporalCli } from '../../runtime/tool-paths';
import { openOrm, migrateDatabase } from '../../db/orm';
import { TEST_ENV, type TestServers } from './test-env';

interface Started { stop(): Promise<void> }

/**
 * One Temporal dev server, one PostgreSQL and one SMTP sink for the whole run, unless
 * TEMPORAL_ADDRESS / DATABASE_URL name servers to use instead. Test files find them
 * through the environment, which jest's workers inherit.
 */
export default async function globalSetup(): Promise<void> {
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'warn' });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-engine-test-'));
  // As root, PostgreSQL runs as a `postgres` user that must be able to enter this folder.
  fs.chmodSync(workDir, 0o755);
  const started: Started[] = [];
  (globalThis as { __testServers?: Started[] }).__testServers = started;
  (globalThis as { __testWorkDir?: string }).__testWorkDir = workDir;

  const postgres = process.env.DATABASE_URL
    ? Promise.resolve({ url: process.env.DATABASE_URL })
    : findFreePort().then((port) => startEmbeddedPostgres({
      dir: path.join(workDir, 'postgres'), port, host: '127.0.0.1', database: 'crm_test', logger,
    })).then((pg) => { started.push(pg); return pg; });

  const temporal = process.env.TEMPORAL_ADDRESS
    ? Promise.resolve({ address: process.env.TEMPORAL_ADDRESS })
    : findFreePort().then((port) => startTemporalDevServer({
      cliPath: resolveTemporalCli().path, host: '127.0.0.1', port, uiPort: null, dbFile: null,
      namespace: 'default', logger, logFile: path.join(workDir, 'temporal.log'),
    })).then((server) => { started.push(server); return server; });

  const sink = startSmtpSink({ host: '127.0.0.1', port: 0, uiPort: 0, dir: path.join(workDir, 'mail'), logger })
    .then((s) => { started.push(s); return s; });

  const outcomes = await Promise.allSettled([postgres, temporal, sink]);
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) {
    // Leave nothing running behind a failed setup.
    await Promise.allSettled(started.map((s) => s.stop()));
    throw failed.reason;
  }
  const [pg, tmp, mail] = await Promise.all([postgres, temporal, sink]);

  const orm = await openOrm(pg.url);
  try {
    await migrateDatabase(orm);
  } finally {
    await orm.close();
  }
  const connection = await Connection.connect({ address: tmp.address });
  try {
    await registerSearchAttributes(connection, 'default');
  } finally {
    await connection.close();
  }

  const servers: TestServers = {
    databaseUrl: pg.url, temporalAddress: tmp.address, namespace: 'default', smtpUrl: mail.smtpUrl, mailUiUrl: mail.uiUrl,
  };
  process.env[TEST_ENV] = JSON.stringify(servers);
}
