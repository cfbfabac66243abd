import { keyedHash } from '../../db/auth/keyed-hash';
import type { AuthSettings } from '../../api/services/authenticator';

/**
 * The server secret every test app and fixture shares: test files seed the demo keys into the one
 * shared database, so they must all hash them alike.
 */
export const TEST_AUTH_SECRET = 'test-only-auth-secret-0123456789abcdef-0123456789abcdef';

export const TEST_AUTH: AuthSettings = { secret: TEST_AUTH_SECRET };

type Execute = (query: string, params: unknown[]) => Promise<unknown>;

/** Gives a test user an API key with every scope (as a fixture; the API's own route is POST /api-keys). */
export async function insertTestApiKey(execute: Execute, userId: string, secret: string): Promise<void> {
  await execute(
    `insert into api_key (id, user_id, name, prefix, secret_hash, scopes)
     values (?, ?, 'test key', ?, ?, '{"templates":"*","events":"*","read":"*"}'::jsonb)`,
    [`K-test-${userId}`, userId, secret.slice(0, 8), keyedHash(TEST_AUTH_SECRET, 'api-key', secret)],
  );
}
