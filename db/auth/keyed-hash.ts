import { createHmac, createSecretKey } from 'node:crypto';

/** What a keyed hash is for: each use gets a key of its own derived from the server secret. */
export type KeyPurpose = 'api-key' | 'refresh-token' | 'refresh-token-mac' | 'access-token' | 'signed-link';

/**
 * The key for one purpose, derived from the server secret, so a value hashed for one use (an API
 * key) can never stand in for another (a refresh token's MAC, an access token's signature).
 */
export function derivedKey(serverSecret: string, purpose: KeyPurpose): Buffer {
  return createHmac('sha256', serverSecret).update(`crm-engine/${purpose}`, 'utf8').digest();
}

/**
 * HMAC-SHA256 (hex) of a secret with the server secret: what is stored instead of an API key or a
 * refresh token. Unlike a bare sha256, a stolen table cannot be checked against guesses without
 * the server secret too.
 */
export function keyedHash(serverSecret: string, purpose: KeyPurpose, value: string): string {
  return keyedHasher(serverSecret, purpose)(value);
}

/**
 * keyedHash with the purpose's key derived and imported once: what hashes the API key of every
 * request (deriving and importing the key again each time was most of that hash's cost).
 */
export function keyedHasher(serverSecret: string, purpose: KeyPurpose): (value: string) => string {
  const key = createSecretKey(derivedKey(serverSecret, purpose));
  return (value) => createHmac('sha256', key).update(value, 'utf8').digest('hex');
}
