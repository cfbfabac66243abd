import type { FastifyRequest } from 'fastify';
import type { Orm } from '../../db/orm';
import { ApiKeyRepository } from '../../db/auth/api-key.repository';
import { keyedHasher } from '../../db/auth/keyed-hash';
import { SessionRepository, type SessionLifetime } from '../../db/auth/session.repository';
import type { EngineUser } from '../../db/users/user.entity';
import type { Credential } from '../plugins/auth';
import type { Principal, PrincipalBase } from '../principal';
import { AccessTokens, looksLikeJwt } from './access-token';
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
  };
  return {
    settings,
    accessTokens: new AccessTokens(settings.secret, settings.accessTokenSeconds),
    refreshTokens: new RefreshTokens(settings.secret),
    limiter: new SignInLimiter(settings.signInLimits),
    sessions: new SessionRepository(),
    apiKeys: new ApiKeyRepository(),
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
 * is an access token. Each costs one indexed query: the session with its user, or the key with
 * its user, so nothing the token or key says about rights is taken on trust.
 */
export async function authenticate(kit: AuthKit, orm: Orm, credential: Credential): Promise<Principal | null> {
  const em = orm.em.fork();
  const asAccessToken =
    credential.kind === 'cookie' || (credential.kind === 'bearer' && looksLikeJwt(credential.secret));
  if (asAccessToken) {
    const claims = await kit.accessTokens.verify(credential.secret);
    if (!claims) return null;
    const user = await kit.sessions.findLiveUser(em, claims.sessionId, claims.userId);
    return user ? { kind: 'user', sessionId: claims.sessionId, ...principalBaseOf(user) } : null;
  }
  if (credential.secret.length === 0 || credential.secret.length > 200) return null;
  const usable = await kit.apiKeys.findUsable(em, kit.hashApiKey(credential.secret));
  if (!usable) return null;
  return { kind: 'system', keyId: usable.keyId, scopes: usable.scopes, ...principalBaseOf(usable.user) };
}

/** Where the client is, for the session list: Fastify's view of the peer (and of X-Forwarded-For only if trusted). */
export function clientOf(request: FastifyRequest): { ip: string; userAgent: string | null } {
  return { ip: request.ip, userAgent: request.headers['user-agent']?.slice(0, 300) ?? null };
}
