import { ConfigError, loadConfig } from './config';
import { createLogger } from './process-runtime';
import { startEmbeddedPostgres } from './embedded-postgres';
import { PortInUseError } from './port-check';
import { EmbeddedPostgresError } from './postgres-placement';
import { APP_ROLE } from '../db/audit/audit-chain';
import { embeddedAppPassword, prepareDatabase, urlWithRole } from './database-roles';

/**
 * `npm run migrate`: applies pending migrations as DATABASE_MIGRATION_URL (or DATABASE_URL), or to
 * the embedded PostgreSQL, and sets the application role's password.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const db = config.database;
  if ('url' in db) {
    report(await prepareDatabase({ appUrl: db.url, ownerUrl: db.migrationUrl ?? db.url }));
    return;
  }
  const embedded = await startEmbeddedPostgres({
    dir: db.embedded.dir,
    port: db.embedded.port,
    sharedDir: db.embedded.sharedDir,
    host: config.host,
    database: 'crm',
    logger: createLogger(config),
  });
  try {
    const appUrl = urlWithRole(embedded.url, APP_ROLE, embeddedAppPassword(db.embedded.appPasswordFile));
    report(await prepareDatabase({ appUrl, ownerUrl: embedded.url }));
  } finally {
    await embedded.stop();
  }
}

function report(applied: string[]): void {
  console.log(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'the database is up to date');
}

main().catch((error: unknown) => {
  const userCanFix =
    error instanceof ConfigError || error instanceof PortInUseError || error instanceof EmbeddedPostgresError;
  console.error(userCanFix ? error.message : error);
  process.exit(1);
});
