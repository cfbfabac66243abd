import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
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
  try {
    // `wx`: two processes starting at once on one DATA_DIR must not each write their own.
    await writeFile(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
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
