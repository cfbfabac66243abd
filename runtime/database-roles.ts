import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { APP_ROLE } from '../db/audit/audit-chain';
import { MIGRATION_LOCK_ID, migrateDatabase, openOrm } from '../db/orm';

/** Where the API and worker connect (`appUrl`) and where migrations run (`ownerUrl`, the same when not separated). */
export interface DatabaseUrls {
  appUrl: string;
  ownerUrl: string;
}

/**
 * The application role's password for the embedded cluster: generated on the first start and kept
 * beside the cluster, readable by this user only. The cluster listens on loopback, so this keeps
 * other local users out rather than guarding a secret of the deployment.
 */
export function embeddedAppPassword(file: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(file, randomBytes(24).toString('base64url'), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return fs.readFileSync(file, 'utf8').trim();
}

/** `url` with another user and password. */
export function urlWithRole(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/**
 * Applies pending migrations as the owner, then lets the application role log in with the password
 * its URL carries (so the URL is the one place it is configured). Returns the migrations applied.
 */
export async function prepareDatabase(urls: DatabaseUrls): Promise<string[]> {
  // Two connections: the migrator reads its table outside the transaction that holds the first.
  const owner = await openOrm(urls.ownerUrl, { poolMax: 2 });
  try {
    const applied = await migrateDatabase(owner);
    if (urls.appUrl !== urls.ownerUrl) await enableAppRole(owner, urls.appUrl);
    return applied;
  } finally {
    await owner.close();
  }
}

async function enableAppRole(owner: Awaited<ReturnType<typeof openOrm>>, appUrl: string): Promise<void> {
  const parsed = new URL(appUrl);
  // Another role name is the operator's own arrangement (e.g. a member of crm_app): left alone.
  if (decodeURIComponent(parsed.username) !== APP_ROLE) return;
  const password = decodeURIComponent(parsed.password);
  if (password === '' || password.includes('\0')) throw new Error(`the ${APP_ROLE} URL needs a password`);
  await owner.em.fork().transactional(async (em) => {
    // Serialised with migrations: two processes altering the role at once fail with "tuple concurrently updated".
    await em.execute('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK_ID]);
    const [role] = await em.execute<{ exists: boolean }[]>(`select exists (select 1 from pg_roles where rolname = ?)`, [
      APP_ROLE,
    ]);
    if (!role?.exists) throw new Error(`the role ${APP_ROLE} does not exist: the owner may not create roles`);
    // DDL takes no parameters: the password goes in as a bound parameter and is quoted by format().
    await em.execute(`select set_config('crm.app_password', ?, true)`, [password]);
    await em.execute(`do $$ begin
      execute format('alter role ${APP_ROLE} with login password %L', current_setting('crm.app_password'));
    end $$`);
  });
}
