import type { Orm } from '../../db/orm';
import { hashPassword, prepareDummyHash, verifyPassword } from '../../db/auth/password';
import type { EngineUser } from '../../db/users/user.entity';
import type { UserRepository } from '../../db/users/user.repository';
import type { AuthKit } from './authenticator';
import { currentAuditActor, runAsAuditActor } from '../../db/audit/audit-context';

export interface Client {
  ip: string;
  userAgent: string | null;
}

export interface TokenPair {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  sessionId: string;
}

export type SignInResult =
  | { kind: 'signed-in'; tokens: TokenPair; user: EngineUser }
  /** Unknown e-mail, wrong password or inactive account: one answer, so none can be told apart. */
  | { kind: 'invalid' }
  | { kind: 'limited'; retryAfterSeconds: number };

export type RefreshResult =
  | { kind: 'refreshed'; tokens: TokenPair; user: EngineUser }
  | { kind: 'invalid' }
  /** A token that was already swapped came back: someone holds a copy, so the session was ended. */
  | { kind: 'reused'; sessionId: string };

/** Passwords and sessions of people: sign in, refresh, sign out, change a password. */
export class SignInService {
  constructor(
    private readonly kit: AuthKit,
    private readonly orm: Orm,
    private readonly users: UserRepository,
  ) {
    void prepareDummyHash();
  }

  async signIn(email: string, password: string, client: Client): Promise<SignInResult> {
    const retryAfterSeconds = this.kit.limiter.retryAfter(email, client.ip);
    if (retryAfterSeconds !== null) return { kind: 'limited', retryAfterSeconds };
    const em = this.orm.em.fork();
    const account = await this.users.findSignInAccount(em, email);
    // Always one scrypt, for unknown e-mails too (a dummy hash), so timing does not tell them apart.
    const matches = await verifyPassword(password, account?.passwordHash ?? null);
    if (!account || !matches || !account.user.active) {
      this.kit.limiter.recordFailure(email, client.ip);
      return { kind: 'invalid' };
    }
    this.kit.limiter.recordSuccess(email);
    const sessionId = this.kit.sessions.newId();
    const refreshToken = this.kit.refreshTokens.issue(sessionId);
    // The request has no principal yet (sign-in is public): the new session is the person's act.
    const request = await currentAuditActor();
    const person = `user:${account.user.id}`;
    await runAsAuditActor(
      () => ({ ...request, actor: person, onBehalfOf: person }),
      () =>
        this.kit.sessions.create(
          em,
          sessionId,
          {
            userId: account.user.id,
            refreshHash: this.kit.refreshTokens.hash(refreshToken),
            ip: client.ip,
            userAgent: client.userAgent,
          },
          this.kit.settings.session,
        ),
    );
    return { kind: 'signed-in', tokens: await this.pair(account.user.id, sessionId, refreshToken), user: account.user };
  }

  async refresh(refreshToken: string): Promise<RefreshResult> {
    const sessionId = this.kit.refreshTokens.sessionOf(refreshToken);
    if (!sessionId) return { kind: 'invalid' };
    const em = this.orm.em.fork();
    const presented = this.kit.refreshTokens.hash(refreshToken);
    const next = this.kit.refreshTokens.issue(sessionId);
    const userId = await this.kit.sessions.rotate(
      em,
      sessionId,
      presented,
      this.kit.refreshTokens.hash(next),
      this.kit.settings.session,
    );
    if (userId) {
      const user = await this.users.get(em, userId);
      if (user) return { kind: 'refreshed', tokens: await this.pair(userId, sessionId, next), user };
    }
    const session = await this.kit.sessions.get(em, sessionId);
    if (session && session.refreshHash !== presented && (await this.kit.sessions.revoke(em, sessionId))) {
      return { kind: 'reused', sessionId };
    }
    return { kind: 'invalid' };
  }

  /** Ends the session a genuine refresh token names (current or rotated: either way it is over). */
  async signOutWith(refreshToken: string): Promise<boolean> {
    const sessionId = this.kit.refreshTokens.sessionOf(refreshToken);
    return sessionId ? this.kit.sessions.revoke(this.orm.em.fork(), sessionId) : false;
  }

  async signOut(sessionId: string): Promise<boolean> {
    return this.kit.sessions.revoke(this.orm.em.fork(), sessionId);
  }

  /**
   * Changes the user's own password after checking the current one; every other session of the
   * user ends (whoever else was signed in with the old password is out). False: wrong password.
   */
  async changePassword(userId: string, current: string, next: string, keepSessionId: string | null): Promise<boolean> {
    const em = this.orm.em.fork();
    const stored = await this.users.passwordHashOf(em, userId);
    if (!(await verifyPassword(current, stored ?? null))) return false;
    const hash = await hashPassword(next);
    await em.transactional(async (tx) => {
      await this.users.setPasswordHash(tx, userId, hash);
      await this.kit.sessions.revokeAllOf(tx, userId, keepSessionId);
    });
    return true;
  }

  /** An administrator sets the password; the user's sessions end. False: no such user. */
  async setPassword(userId: string, next: string): Promise<boolean> {
    const hash = await hashPassword(next);
    return this.orm.em.fork().transactional(async (tx) => {
      if (!(await this.users.setPasswordHash(tx, userId, hash))) return false;
      await this.kit.sessions.revokeAllOf(tx, userId);
      return true;
    });
  }

  private async pair(userId: string, sessionId: string, refreshToken: string): Promise<TokenPair> {
    return {
      accessToken: await this.kit.accessTokens.issue({ userId, sessionId }),
      expiresIn: this.kit.settings.accessTokenSeconds,
      refreshToken,
      sessionId,
    };
  }
}
