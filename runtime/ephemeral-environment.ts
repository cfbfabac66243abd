import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { connectTemporalClient } from './temporal-client-connection';
import { loadConfig, type Config } from './config';
import { prepareDatabase } from './database-roles';
import { findFreePort } from './port-check';
import { startServices, type Services } from './services';
import { registerSearchAttributes } from './temporal-readiness';

/** Where an ephemeral environment's servers answer. */
export interface EnvironmentAddresses {
  /** The owner (superuser): migrations, scratch databases, and tests that tamper on purpose. */
  databaseUrl: string;
  /** The application role, as the API and worker connect: may append to audit_log, not change it. */
  appDatabaseUrl: string;
  temporalAddress: string;
  namespace: string;
  smtpUrl: string;
  /** The SMTP sink's message list; tests read mail from it. */
  mailUiUrl: string;
}

export interface EphemeralEnvironment {
  addresses: EnvironmentAddresses;
  stop(): Promise<void>;
}

/**
 * Free ports are only free when looked at: the Temporal dev server picks its internal services'
 * ports the same way (bind 0, close) and has been seen taking the frontend port it was given
 * ("bind: address already in use", the server exits). A failed start is tried again on new ports
 * in a new folder; the third failure is the error.
 */
async function startOnFreePorts(
  logger: Logger,
  env: NodeJS.ProcessEnv,
): Promise<{ workDir: string; config: Config; services: Services }> {
  for (let attempt = 1; ; attempt++) {
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-engine-'));
    // As root, PostgreSQL runs as a `postgres` user that must be able to enter this folder.
    fs.chmodSync(workDir, 0o755);
    const ports: string[] = [];
    while (ports.length < 5) {
      const port = String(await findFreePort());
      if (!ports.includes(port)) ports.push(port);
    }
    const [pgPort, temporalPort, uiPort, smtpPort, mailUiPort] = ports;
    const config = loadConfig({
      DATA_DIR: workDir,
      EMBEDDED_PG_PORT: pgPort,
      TEMPORAL_PORT: temporalPort,
      TEMPORAL_UI_PORT: uiPort,
      SMTP_SINK_PORT: smtpPort,
      MAIL_UI_PORT: mailUiPort,
      DATABASE_URL: env.DATABASE_URL,
      TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS,
      TEMPORAL_NAMESPACE: env.TEMPORAL_NAMESPACE,
      TEMPORAL_CLI_PATH: env.TEMPORAL_CLI_PATH,
    });
    try {
      return { workDir, config, services: await startServices(config, logger) };
    } catch (error) {
      fs.rmSync(workDir, { recursive: true, force: true });
      if (attempt >= 3) throw error;
      logger.warn({ err: error, attempt }, 'the embedded servers did not start; trying again on other ports');
    }
  }
}

/**
 * The same embedded servers as `npm start`, on free ports and in a temporary folder, migrated
 * and with search attributes registered: for the test suite and the benchmarks, which must
 * run beside a developer's `npm start`. TEMPORAL_ADDRESS / DATABASE_URL still select external
 * servers; mail always goes to a sink of its own, since tests read it back.
 */
export async function startEphemeralEnvironment(
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<EphemeralEnvironment> {
  const { workDir, config, services } = await startOnFreePorts(logger, env);
  const stop = async (): Promise<void> => {
    await services.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  };
  try {
    await prepareDatabase({ appUrl: services.databaseUrl, ownerUrl: services.migrationDatabaseUrl });
    const connection = await connectTemporalClient({ address: services.temporalAddress });
    try {
      await registerSearchAttributes(connection, config.temporal.namespace);
    } finally {
      await connection.close();
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    addresses: {
      databaseUrl: services.migrationDatabaseUrl,
      appDatabaseUrl: services.databaseUrl,
      temporalAddress: services.temporalAddress,
      namespace: config.temporal.namespace,
      smtpUrl: services.smtpUrl,
      mailUiUrl: services.mailUiUrl ?? '',
    },
    stop,
  };
}
