import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, MIN_AUTH_SECRET_LENGTH, type Config } from './config';

export const AUTH_SECRET_FILE = 'auth-secret';

/**
 * The server secret: AUTH_SECRET, or the one kept in DATA_DIR/auth-secret, generated (mode 0600)
 * on the first start without one, so restarts keep sessions and API keys valid.
 */
export async function resolveAuthSecret(config: Pick<Config, 'authSecret' | 'dataDir'>): Promise<string> {
  if (config.authSecret !== undefined) return config.authSecret;
  const file = path.join(config.dataDir, AUTH_SECRET_FILE);
  const stored = await readSecret(file);
  if (stored !== undefined) return stored;
  await mkdir(config.dataDir, { recursive: true });
  // Written whole under a name of its own, then linked into place: `link` fails if the file exists,
  // so two processes starting at once on one DATA_DIR keep one secret, and neither ever reads a
  // file the other has created but not yet written (as with `writeFile(…, { flag: 'wx' })`).
  const draft = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`;
  await writeFile(draft, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await rm(draft, { force: true });
  }
  const written = await readSecret(file);
  if (written === undefined) throw new Error(`${file} could not be read back`);
  return written;
}

async function readSecret(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const secret = text.trim();
  if (secret.length < MIN_AUTH_SECRET_LENGTH) {
    throw new ConfigError([
      `${file} holds a secret shorter than ${MIN_AUTH_SECRET_LENGTH} characters: delete it (everyone signs in again) or set AUTH_SECRET`,
    ]);
  }
  return secret;
}
