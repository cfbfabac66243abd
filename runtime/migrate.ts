import { ConfigError, loadConfig } from './config';
import { createLogger } from './process-runtime';
import { startEmbeddedPostgres } from './embedded-postgres';
import { openOrm, migrateDatabase } from '../db/orm';

/** `npm run migrate`: applies pending migrations to DATABASE_URL, or to the embedded PostgreSQL. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  const db = config.database;
  const embedded =
    'url' in db
      ? undefined
      : await startEmbeddedPostgres({
          dir: db.embedded.dir,
          port: db.embedded.port,
          host: config.host,
          database: 'crm',
          logger,
        });
  try {
    const orm = await openOrm(embedded?.url ?? ('url' in db ? db.url : ''));
    try {
      const applied = await migrateDatabase(orm);
      console.log(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'the database is up to date');
    } finally {
      await orm.close();
    }
  } finally {
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
