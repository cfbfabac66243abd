import { randomUUID } from 'node:crypto';
import { recordChange } from '../repositories/audit-log';
import { readOnlyRows } from '../repositories/read-only-rows';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ApiKeyScopes } from '../../contracts/api-key-scopes';
import { EngineUser } from '../users/user.entity';
import { ApiKey } from './api-key.entity';
import { credentialChanged } from './credential-changes';

export interface NewApiKey {
  id?: string;
  userId: string;
  name: string;
  prefix: string;
  secretHash: string;
  scopes: ApiKeyScopes;
  expiresAt: Date | null;
  createdBy: string | null;
}

/** A key that may be used now, with what it may do and the user it acts as. */
export interface UsableApiKey {
  keyId: string;
  scopes: ApiKeyScopes;
  user: EngineUser;
  /** When the key stops working by itself; null: never. */
  expiresAt: Date | null;
}

/** How often last_used_at is written per key at most: a busy key must not write on every call. */
const LAST_USED_RESOLUTION_SECONDS = 60;

/** API keys of systems: the only reader and writer of api_key. */
export class ApiKeyRepository {
  newId(): string {
    return `K-${randomUUID()}`;
  }

  async create(em: EntityManager, key: NewApiKey): Promise<ApiKey> {
    const row = em.create(ApiKey, { ...key, id: key.id ?? this.newId(), createdAt: new Date() });
    await em.flush();
    return row;
  }

  /**
   * A key with a well-known id (a seeded demo key, ADMIN_API_KEY's): created, or given this secret
   * hash. `reactivate` also clears a revocation (ADMIN_API_KEY: whoever sets it means it);
   * without it a revoked demo key stays revoked. Raw SQL: one upsert, so concurrent starts agree.
   */
  async upsertKnown(em: EntityManager, key: NewApiKey & { id: string }, reactivate: boolean): Promise<void> {
    await em.execute(
      `insert into api_key (id, user_id, name, prefix, secret_hash, scopes, expires_at, created_by)
       values (?, ?, ?, ?, ?, ?::jsonb, ?, ?)
       on conflict (id) do update set secret_hash = excluded.secret_hash, prefix = excluded.prefix
         ${reactivate ? ', revoked_at = null, expires_at = excluded.expires_at, scopes = excluded.scopes' : ''}`,
      [
        key.id,
        key.userId,
        key.name,
        key.prefix,
        key.secretHash,
        JSON.stringify(key.scopes),
        key.expiresAt,
        key.createdBy,
      ],
    );
    await recordChange(em, {
      action: 'ApiKey.upsert-known',
      subject: `api_key:${key.id}`,
      after: { userId: key.userId, name: key.name, prefix: key.prefix, scopes: key.scopes, reactivated: reactivate },
    });
    credentialChanged({ kind: 'key', id: key.id });
  }

  /**
   * The key with this secret hash and its active user, if the key is neither revoked nor expired.
   * Notes the use at most once a minute (a conditional update, skipped when the row is recent).
   */
  async findUsable(em: EntityManager, secretHash: string): Promise<UsableApiKey | null> {
    const [row] = await em.execute<Record<string, unknown>[]>(
      `select u.*, k.id as key_id, k.scopes as key_scopes, k.last_used_at as key_last_used_at, k.expires_at as key_expires_at
         from api_key k join engine_user u on u.id = k.user_id
        where k.secret_hash = ? and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())
          and u.active`,
      [secretHash],
    );
    if (!row) return null;
    const {
      key_id: keyId,
      key_scopes: scopes,
      key_last_used_at: lastUsedAt,
      key_expires_at: expiresAt,
      ...userRow
    } = row;
    const lastUsed = lastUsedAt ? new Date(lastUsedAt as string | Date).getTime() : 0;
    if (Date.now() - lastUsed > LAST_USED_RESOLUTION_SECONDS * 1000) {
      await em.execute(
        `update api_key set last_used_at = now()
          where id = ? and (last_used_at is null or last_used_at < now() - make_interval(secs => ?))`,
        [keyId, LAST_USED_RESOLUTION_SECONDS],
      );
    }
    return {
      keyId: keyId as string,
      scopes: scopes as ApiKeyScopes,
      user: readOnlyRows(em, EngineUser, [userRow])[0]!,
      expiresAt: expiresAt ? new Date(expiresAt as string | Date) : null,
    };
  }

  async get(em: EntityManager, id: string): Promise<ApiKey | null> {
    return em.findOne(ApiKey, { id });
  }

  /** Every key, newest first, optionally of one user (revoked and expired ones too: the list is an inventory). */
  async list(em: EntityManager, userId?: string): Promise<ApiKey[]> {
    return em.find(ApiKey, userId ? { userId } : {}, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 1000 });
  }

  /** Revokes the key; false if there is no such key. Revoking twice keeps the first time. */
  async revoke(em: EntityManager, id: string): Promise<boolean> {
    const rows = await em.execute<{ id: string }[]>(
      'update api_key set revoked_at = coalesce(revoked_at, now()) where id = ? returning id',
      [id],
    );
    if (rows.length > 0) await recordChange(em, { action: 'ApiKey.revoke', subject: `api_key:${id}` });
    credentialChanged({ kind: 'key', id });
    return rows.length > 0;
  }
}
