import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config';
import { APP_ROLE } from '../db/audit/audit-chain';
import { embeddedAppPassword, urlWithRole } from './database-roles';
import { startEmbeddedPostgres } from './embedded-postgres';
import { startSmtpSinkProcess } from './smtp-sink/sink-process';
import { superviseService, type ServiceState, type SupervisedService } from './supervision/supervised-service';
import { startTemporalDevServer } from './temporal-dev-server';
import { resolveTemporalCli } from './tool-paths';

export interface Services {
  /** What the API and worker connect as: the application role when it is separated from the owner. */
  databaseUrl: string;
  /** The owner, for migrations (the same as databaseUrl when not separated). */
  migrationDatabaseUrl: string;
  temporalAddress: string;
  smtpUrl: string;
  /** Set only for servers this process started. */
  temporalUiUrl: string | null;
  mailUiUrl: string | null;
  /** The embedded servers this process supervises (none when every one is external), for /readyz. */
  states(): Record<string, ServiceState>;
  /** Stops what this process started, in reverse order; external servers are left alone. */
  stop(): Promise<void>;
}

/**
 * Starts the embedded PostgreSQL, Temporal dev server and SMTP sink that the configuration does
 * not point elsewhere, in parallel, each a supervised child process (restarted when it crashes,
 * killed when this process dies). If one fails to start, the others are stopped again, so a
 * failed start leaves nothing running.
 */
export async function startServices(config: Config, logger: Logger): Promise<Services> {
  const started: SupervisedService<unknown>[] = [];
  const stopAll = async (): Promise<void> => {
    const results = await Promise.allSettled(
      started.reverse().map(async (s) => {
        await s.stop();
        logger.info(`${s.name} stopped`);
      }),
    );
    for (const r of results)
      if (r.status === 'rejected') logger.warn({ err: r.reason }, 'a service did not stop cleanly');
  };
  const track = <T>(service: SupervisedService<T>): T => {
    started.push(service);
    return service.value;
  };

  const db = config.database;
  const tmp = config.temporal.server;
  const mail = config.smtp;
  const results = await Promise.allSettled([
    'url' in db
      ? { url: db.url, migrationUrl: db.migrationUrl ?? db.url }
      : superviseService({
          name: 'postgres',
          dataDir: config.dataDir,
          // Fast shutdown of the postmaster, which ends its backends itself.
          stopSignal: 'SIGINT',
          scope: 'process',
          marker: `-p ${db.embedded.port}`,
          logger,
          start: async () => {
            const pg = await startEmbeddedPostgres({
              dir: db.embedded.dir,
              port: db.embedded.port,
              sharedDir: db.embedded.sharedDir,
              host: config.host,
              database: 'crm',
              logger,
            });
            return { ...pg, value: pg.url };
          },
        }).then((pg) => {
          const url = track(pg);
          return {
            url: urlWithRole(url, APP_ROLE, embeddedAppPassword(db.embedded.appPasswordFile)),
            migrationUrl: url,
          };
        }),
    'address' in tmp
      ? { address: tmp.address, uiUrl: null }
      : superviseService({
          name: 'temporal',
          dataDir: config.dataDir,
          stopSignal: 'SIGTERM',
          scope: 'group',
          marker: `--port ${tmp.embedded.port}`,
          logger,
          start: async () => {
            const server = await startTemporalDevServer({
              cliPath: resolveTemporalCli({ env: { ...process.env, TEMPORAL_CLI_PATH: config.temporal.cliPath } }).path,
              host: config.host,
              port: tmp.embedded.port,
              uiPort: tmp.embedded.uiPort,
              dbFile: tmp.embedded.dbFile,
              namespace: config.temporal.namespace,
              logger,
              logFile: path.join(config.dataDir, 'temporal', 'server.log'),
            });
            return { ...server, value: { address: server.address, uiUrl: server.uiUrl } };
          },
        }).then(track),
    'url' in mail
      ? { smtpUrl: mail.url, uiUrl: null }
      : superviseService({
          name: 'smtp',
          dataDir: config.dataDir,
          stopSignal: 'SIGTERM',
          scope: 'group',
          marker: mail.embedded.dir,
          logger,
          start: () =>
            startSmtpSinkProcess({
              host: config.host,
              port: mail.embedded.port,
              uiPort: mail.embedded.uiPort,
              dir: mail.embedded.dir,
              logLevel: logger.level,
            }),
        }).then(track),
  ] as const);
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failures.length > 0) {
    await stopAll();
    throw failures.length === 1
      ? failures[0]!.reason
      : new AggregateError(
          failures.map((f) => f.reason),
          failures.map((f) => (f.reason instanceof Error ? f.reason.message : String(f.reason))).join('; '),
        );
  }
  const [pg, temporal, smtp] = results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [
    { url: string; migrationUrl: string },
    { address: string; uiUrl: string | null },
    { smtpUrl: string; uiUrl: string | null },
  ];
  return {
    databaseUrl: pg.url,
    migrationDatabaseUrl: pg.migrationUrl,
    temporalAddress: temporal.address,
    smtpUrl: smtp.smtpUrl,
    temporalUiUrl: temporal.uiUrl,
    mailUiUrl: smtp.uiUrl,
    states: () => Object.fromEntries(started.map((s) => [s.name, s.state()])),
    stop: stopAll,
  };
}
