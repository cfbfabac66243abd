import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { Orm } from '../../db/orm';
import { ApiKeyRepository } from '../../db/auth/api-key.repository';
import { CredentialChangeListener, onLocalCredentialChange } from '../../db/auth/credential-changes';
import { keyedHasher } from '../../db/auth/keyed-hash';
import { SessionRepository, type SessionLifetime } from '../../db/auth/session.repository';
import type { EngineUser } from '../../db/users/user.entity';
import type { Credential } from '../plugins/auth';
import type { Principal, PrincipalBase } from '../principal';
import { AccessTokens, looksLikeJwt } from './access-token';
import { PrincipalCache } from './principal-cache';
import { RefreshTokens } from './refresh-token';
import { DEFAULT_SIGN_IN_LIMITS, SignInLimiter, type SignInLimits } from './sign-in-limiter';

/** How people and systems authenticate, chosen by the runtime (or a test). */
export interface AuthSettings {
  /** The server secret (at least 32 characters): signs access tokens, keys the stored hashes of keys and refresh tokens. */
  secret: string;
  /** Lifetime of an access token. Default 900 s (15 min). */
  accessTokenSeconds?: number;
  /** Default: 12 h after the last refresh, at most 7 days after sign-in. */
  session?: SessionLifetime;
  /** Mark cookies `Secure` (PUBLIC_URL is https). */
  secureCookies?: boolean;
  signInLimits?: SignInLimits;
  /**
   * How long a principal is kept in memory at most (PrincipalCache), while changes of users, keys
   * and sessions are heard. Default 60; 0 reads the credential from the database on every request.
   */
  principalCacheSeconds?: number;
}

export const DEFAULT_SESSION_LIFETIME: SessionLifetime = { slidingSeconds: 12 * 3600, maxSeconds: 7 * 24 * 3600 };
export const MIN_SECRET_LENGTH = 32;

/** The tools of authentication, built once per app from its settings. */
export interface AuthKit {
  settings: Required<AuthSettings>;
  accessTokens: AccessTokens;
  refreshTokens: RefreshTokens;
  limiter: SignInLimiter;
  sessions: SessionRepository;
  apiKeys: ApiKeyRepository;
  /** Principals of recently seen credentials; watchCredentialChanges keeps it true. */
  principals: PrincipalCache;
  /** What api_key.secret_hash holds for a secret. */
  hashApiKey(secret: string): string;
}

export function createAuthKit(input: AuthSettings): AuthKit {
  if (input.secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`The server secret must be at least ${MIN_SECRET_LENGTH} characters.`);
  }
  const settings: Required<AuthSettings> = {
    secret: input.secret,
    accessTokenSeconds: input.accessTokenSeconds ?? 900,
    session: input.session ?? DEFAULT_SESSION_LIFETIME,
    secureCookies: input.secureCookies ?? false,
    signInLimits: input.signInLimits ?? DEFAULT_SIGN_IN_LIMITS,
    principalCacheSeconds: input.principalCacheSeconds ?? 60,
  };
  return {
    settings,
    accessTokens: new AccessTokens(settings.secret, settings.accessTokenSeconds),
    refreshTokens: new RefreshTokens(settings.secret),
    limiter: new SignInLimiter(settings.signInLimits),
    sessions: new SessionRepository(),
    apiKeys: new ApiKeyRepository(),
    principals: new PrincipalCache({ ttlMs: settings.principalCacheSeconds * 1000 }),
    hashApiKey: keyedHasher(settings.secret, 'api-key'),
  };
}

export function principalBaseOf(user: EngineUser): PrincipalBase {
  return {
    userId: user.id,
    name: user.name,
    email: user.email,
    roles: user.roles,
    attributes: user.attributes as Record<string, unknown>,
    managerId: user.managerId ?? null,
  };
}

/**
 * Turns a request's credential into a principal, or null (a 401). A bearer is an access token if
 * it is shaped like a JWT, otherwise an API key; the X-API-Key header is an API key; the cookie
 * is an access token. An access token's signature and expiry are checked every time; what it or
 * a key stands for is read from the database (one indexed query: the session with its user, or
 * the key with its user, so nothing the token or key says about rights is taken on trust), or
 * from `kit.principals` when that read was made recently and no change has been heard since.
 */
export async function authenticate(kit: AuthKit, orm: Orm, credential: Credential): Promise<Principal | null> {
  const asAccessToken =
    credential.kind === 'cookie' || (credential.kind === 'bearer' && looksLikeJwt(credential.secret));
  if (asAccessToken) {
    const claims = await kit.accessTokens.verify(credential.secret);
    if (!claims) return null;
    return kit.principals.through(`session:${claims.sessionId}:${claims.userId}`, async () => {
      const live = await kit.sessions.findLiveUser(orm.em.fork(), claims.sessionId, claims.userId);
      if (!live) return null;
      return {
        principal: { kind: 'user', sessionId: claims.sessionId, ...principalBaseOf(live.user) },
        source: { userId: live.user.id, sessionId: claims.sessionId, expiresAt: live.expiresAt },
      };
    });
  }
  if (credential.secret.length === 0 || credential.secret.length > 200) return null;
  const secretHash = kit.hashApiKey(credential.secret);
  return kit.principals.through(`key:${secretHash}`, async () => {
    const usable = await kit.apiKeys.findUsable(orm.em.fork(), secretHash);
    if (!usable) return null;
    return {
      principal: { kind: 'system', keyId: usable.keyId, scopes: usable.scopes, ...principalBaseOf(usable.user) },
      source: { userId: usable.user.id, keyId: usable.keyId, expiresAt: usable.expiresAt },
    };
  });
}

/** What keeps an app's principal cache true: started with the app, closed with it. */
export interface CredentialChangeWatch {
  /** Resolves once every change committed before the call has reached the cache (see CredentialChangeListener.settle). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Feeds `kit.principals` the changes of users, keys and sessions: this process's own at once, every
 * process's through PostgreSQL's notifications on the ORM's database. Until the
 * notifications are heard, and whenever their connection is lost, the cache keeps nothing.
 */
export function watchCredentialChanges(kit: AuthKit, orm: Orm, log: FastifyBaseLogger): CredentialChangeWatch {
  if (kit.settings.principalCacheSeconds <= 0) return { settle: async () => {}, close: async () => {} };
  const databaseUrl = orm.config.get('clientUrl');
  if (!databaseUrl) throw new Error('The principal cache needs the database URL the ORM connects with (clientUrl).');
  const unsubscribe = onLocalCredentialChange((change) => kit.principals.apply(change));
  const listener = new CredentialChangeListener(
    {
      databaseUrl,
      onError: (error) =>
        log.warn(
          { err: error },
          'credential changes are not heard: credentials are read on every request until they are',
        ),
    },
    {
      change: (change) => kit.principals.apply(change),
      listening: (listening) => kit.principals.setListening(listening),
    },
  );
  listener.start();
  return {
    settle: () => listener.settle(),
    close: async () => {
      unsubscribe();
      await listener.close();
    },
  };
}

/** Where the client is, for the session list: Fastify's view of the peer (and of X-Forwarded-For only if trusted). */
export function clientOf(request: FastifyRequest): { ip: string; userAgent: string | null } {
  return { ip: request.ip, userAgent: request.headers['user-agent']?.slice(0, 300) ?? null };
}
