import { SignJWT, decodeProtectedHeader, jwtVerify } from 'jose';
import { derivedKey } from '../../db/auth/keyed-hash';

/** What an access token says: whose it is and which session it belongs to. Nothing else is trusted from it. */
export interface AccessClaims {
  userId: string;
  sessionId: string;
}

/**
 * Short-lived access tokens: JWT, HS256 with a key derived from the server secret. They carry no
 * roles: the authenticator loads the user and the session on every request, so a revocation or a
 * change of roles counts at once, and a token's only power is naming its session.
 */
export class AccessTokens {
  private readonly key: Uint8Array;

  constructor(
    serverSecret: string,
    readonly lifetimeSeconds: number,
  ) {
    this.key = new Uint8Array(derivedKey(serverSecret, 'access-token'));
  }

  async issue(claims: AccessClaims): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ sid: claims.sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.userId)
      .setIssuedAt(now)
      .setExpirationTime(now + this.lifetimeSeconds)
      .sign(this.key);
  }

  /** The claims of a valid, unexpired token signed with our key (HS256 only), else null. */
  async verify(token: string): Promise<AccessClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] });
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null;
      return { userId: payload.sub, sessionId: payload.sid };
    } catch {
      return null;
    }
  }
}

/** Whether a bearer credential is shaped like a JWT (then it is judged as one, never as an API key). */
export function looksLikeJwt(token: string): boolean {
  if (token.split('.').length !== 3) return false;
  try {
    decodeProtectedHeader(token);
    return true;
  } catch {
    return false;
  }
}
