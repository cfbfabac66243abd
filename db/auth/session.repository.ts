import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordChange } from '../repositories/audit-log';
import { EngineUser } from '../users/user.entity';
import { credentialChanged } from './credential-changes';
import { readOnlyRows } from '../repositories/read-only-rows';
import { AuthSession } from './session.entity';

/** How long a session lives: `slidingSeconds` after its last refresh, never beyond `maxSeconds` after sign-in. */
export interface SessionLifetime {
  slidingSeconds: number;
  maxSeconds: number;
}

export interface NewSession {
  userId: string;
  refreshHash: string;
  ip: string | null;
  userAgent: string | null;
}

/**
 * Sign-in sessions: the only reader and writer of auth_session. Conditional updates are raw SQL
 * because each must be one statement: a refresh token is swapped only if it is still the current
 * one, so two uses of the same token cannot both succeed.
 */
export class SessionRepository {
  newId(): string {
    return `S-${randomUUID()}`;
  }

  async create(em: EntityManager, id: string, session: NewSession, lifetime: SessionLifetime): Promise<AuthSession> {
    const now = new Date();
    const row = em.create(AuthSession, {
      id,
      ...session,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: new Date(now.getTime() + Math.min(lifetime.slidingSeconds, lifetime.maxSeconds) * 1000),
    });
    await em.flush();
    return row;
  }

  async get(em: EntityManager, id: string): Promise<AuthSession | null> {
    return em.findOne(AuthSession, { id });
  }

  /**
   * The active user of a live session, and when the session ends: one primary-key join, read
   * whenever the API holds no principal for the session (api/services/principal-cache.ts), so a
   * revoked session, a deactivated user or a changed role counts, whatever the access token says.
   */
  async findLiveUser(
    em: EntityManager,
    sessionId: string,
    userId: string,
  ): Promise<{ user: EngineUser; expiresAt: Date } | null> {
    const [row] = await em.execute<Record<string, unknown>[]>(
      `select u.*, s.expires_at as session_expires_at from auth_session s join engine_user u on u.id = s.user_id
        where s.id = ? and s.user_id = ? and s.revoked_at is null and s.expires_at > now() and u.active`,
      [sessionId, userId],
    );
    if (!row) return null;
    const { session_expires_at: expiresAt, ...userRow } = row;
    return { user: readOnlyRows(em, EngineUser, [userRow])[0]!, expiresAt: new Date(expiresAt as string | Date) };
  }

  /**
   * Not audited: a refresh swaps a token and moves the expiry, it changes no one's rights (sign-in,
   * sign-out and revocation are on record).
   *
   * Swaps the session's refresh token for a new one and extends it, if `currentHash` is still its
   * token and it is live; the session's user id, or null when nothing was swapped.
   */
  async rotate(
    em: EntityManager,
    sessionId: string,
    currentHash: string,
    nextHash: string,
    lifetime: SessionLifetime,
  ): Promise<string | null> {
    const [row] = await em.execute<{ user_id: string }[]>(
      `update auth_session
          set refresh_hash = ?, last_used_at = now(),
              expires_at = least(now() + make_interval(secs => ?), created_at + make_interval(secs => ?))
        where id = ? and refresh_hash = ? and revoked_at is null and expires_at > now()
          and exists (select 1 from engine_user u where u.id = auth_session.user_id and u.active)
        returning user_id`,
      [nextHash, lifetime.slidingSeconds, lifetime.maxSeconds, sessionId, currentHash],
    );
    return row?.user_id ?? null;
  }

  /** Ends the session; true if it was live. */
  async revoke(em: EntityManager, sessionId: string): Promise<boolean> {
    const rows = await em.execute<{ id: string }[]>(
      'update auth_session set revoked_at = now() where id = ? and revoked_at is null returning id',
      [sessionId],
    );
    if (rows.length > 0) await recordChange(em, { action: 'AuthSession.revoke', subject: `auth_session:${sessionId}` });
    credentialChanged({ kind: 'session', id: sessionId });
    return rows.length > 0;
  }

  /** Ends every live session of the user except `keep`; how many were ended. */
  async revokeAllOf(em: EntityManager, userId: string, keep: string | null = null): Promise<number> {
    const rows = await em.execute<{ id: string }[]>(
      `update auth_session set revoked_at = now()
        where user_id = ? and revoked_at is null and (?::text is null or id <> ?) returning id`,
      [userId, keep, keep],
    );
    if (rows.length > 0) {
      await recordChange(em, {
        action: 'AuthSession.revoke-all',
        subject: `engine_user:${userId}`,
        after: { sessions: rows.map((row) => row.id) },
      });
    }
    for (const row of rows) credentialChanged({ kind: 'session', id: row.id });
    return rows.length;
  }

  /** The user's sessions that have not ended, newest first. */
  async listLive(em: EntityManager, userId: string): Promise<AuthSession[]> {
    return em.find(
      AuthSession,
      { userId, revokedAt: null, expiresAt: { $gt: new Date() } },
      { orderBy: { createdAt: 'desc' }, limit: 200 },
    );
  }
}
