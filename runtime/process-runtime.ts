import pino, { type Logger } from 'pino';
import { Client, type Connection } from '@temporalio/client';
import type { Transporter } from 'nodemailer';
import { openOrm, type Orm } from '../db/orm';
import { prepareDatabase } from './database-roles';
import type { Config } from './config';
import { createMailTransport } from './mailer';
import type { Services } from './services';
import { connectTemporalClient, TEMPORAL_CALL_RETRY } from './temporal-client-connection';
import { registerSearchAttributes } from './temporal-readiness';

/** The long-lived clients one process shares between its API and its worker. */
export interface ProcessClients {
  orm: Orm;
  connection: Connection;
  client: Client;
  mailer: Transporter;
  close(): Promise<void>;
}

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({ level: config.logLevel });
}

/**
 * Migrates as the database's owner, then opens the ORM as the application role, the Temporal
 * client and the SMTP transport.
 */
export async function openClients(config: Config, services: Services, logger: Logger): Promise<ProcessClients> {
  const applied = await prepareDatabase({ appUrl: services.databaseUrl, ownerUrl: services.migrationDatabaseUrl });
  if (applied.length > 0) logger.info({ applied }, 'database migrated');
  const orm = await openOrm(services.databaseUrl, { preparedStatements: config.databasePreparedStatements });
  try {
    const connection = await connectTemporalClient({ address: services.temporalAddress, retry: TEMPORAL_CALL_RETRY });
    const added = await registerSearchAttributes(connection, config.temporal.namespace);
    if (added.length > 0) logger.info({ added }, 'search attributes registered');
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const mailer = createMailTransport(services.smtpUrl);
    return {
      orm,
      connection,
      client,
      mailer,
      close: async () => {
        mailer.close();
        await connection.close();
        await orm.close();
      },
    };
  } catch (error) {
    await orm.close();
    throw error;
  }
}
