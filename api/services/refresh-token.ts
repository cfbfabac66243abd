import { randomBytes, timingSafeEqual } from 'node:crypto';
import { keyedHash } from '../../db/auth/keyed-hash';

/**
 * Refresh tokens: `<session id>.<random>.<mac>`, opaque to clients. The MAC (keyed with the
 * server secret) shows a token was issued by us for that session without storing every token, so
 * an old, rotated token presented again is recognised as reuse (a stolen copy: the session is
 * revoked), while a forged one is merely refused and cannot revoke anyone's session.
 */
export class RefreshTokens {
  constructor(private readonly serverSecret: string) {}

  issue(sessionId: string): string {
    const body = `${sessionId}.${randomBytes(32).toString('base64url')}`;
    return `${body}.${this.mac(body)}`;
  }

  /** The session a genuine token was issued for, or null for anything we did not issue. */
  sessionOf(token: string): string | null {
    const cut = token.lastIndexOf('.');
    if (cut < 0 || token.length > 400) return null;
    const body = token.slice(0, cut);
    const given = Buffer.from(token.slice(cut + 1));
    const expected = Buffer.from(this.mac(body));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const sessionId = body.slice(0, body.lastIndexOf('.'));
    return sessionId.length > 0 ? sessionId : null;
  }

  /** What auth_session stores for the token. */
  hash(token: string): string {
    return keyedHash(this.serverSecret, 'refresh-token', token);
  }

  private mac(body: string): string {
    return Buffer.from(keyedHash(this.serverSecret, 'refresh-token-mac', body), 'hex').toString('base64url');
  }
}
