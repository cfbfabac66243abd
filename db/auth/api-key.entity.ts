import { defineEntity, p } from '@mikro-orm/postgresql';
import type { ApiKeyScopes } from '../../contracts/api-key-scopes';

/**
 * Another system's key: it acts as its user, within its scopes, until it expires or is revoked.
 * The secret is shown once; only its keyed hash (HMAC with the server secret) and its first
 * characters (to recognise it in a list) are stored.
 */
export const ApiKeySchema = defineEntity({
  name: 'ApiKey',
  tableName: 'api_key',
  properties: {
    id: p.text().primary(),
    userId: p.text(),
    name: p.text(),
    prefix: p.text(),
    secretHash: p.text().unique(),
    scopes: p.json<ApiKeyScopes>(),
    expiresAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    createdBy: p.text().nullable(),
  },
});

export class ApiKey extends ApiKeySchema.class {}
ApiKeySchema.setClass(ApiKey);
