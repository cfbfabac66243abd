import { defineEntity, p } from '@mikro-orm/postgresql';

/**
 * A person's sign-in: it lives while its refresh token is used (sliding expiry, capped from its
 * start) and ends when revoked. Only the keyed hash of the current refresh token is kept.
 */
export const AuthSessionSchema = defineEntity({
  name: 'AuthSession',
  tableName: 'auth_session',
  properties: {
    id: p.text().primary(),
    userId: p.text(),
    refreshHash: p.text().unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
    ip: p.text().nullable(),
    userAgent: p.text().nullable(),
  },
});

export class AuthSession extends AuthSessionSchema.class {}
AuthSessionSchema.setClass(AuthSession);
