export { ApiKey } from './api-key.entity';
export { ApiKeyRepository, type NewApiKey, type UsableApiKey } from './api-key.repository';
export { AuthSession } from './session.entity';
export { SessionRepository, type NewSession, type SessionLifetime } from './session.repository';
export { hashPassword, prepareDummyHash, verifyPassword } from './password';
export { derivedKey, keyedHash, type KeyPurpose } from './keyed-hash';
