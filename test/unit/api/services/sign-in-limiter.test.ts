import { describe, expect, it } from '@jest/globals';
import { SignInLimiter } from '../../../../api/services/sign-in-limiter';
import { RefreshTokens } from '../../../../api/services/refresh-token';

describe('SignInLimiter', () => {
  const limits = { perAccount: { failures: 2, windowSeconds: 60 }, perIp: { failures: 3, windowSeconds: 10 } };

  it('holds an account after its failures, whatever the address, until the window ends', () => {
    let now = 0;
    const limiter = new SignInLimiter(limits, () => now);
    limiter.recordFailure('A@x.test', '1.1.1.1');
    expect(limiter.retryAfter('a@x.test', '2.2.2.2')).toBeNull();
    limiter.recordFailure('a@x.test ', '2.2.2.2');
    expect(limiter.retryAfter('a@x.test', '3.3.3.3')).toBe(60);
    now = 59_500;
    expect(limiter.retryAfter('a@x.test', '3.3.3.3')).toBe(1);
    now = 60_000;
    expect(limiter.retryAfter('a@x.test', '3.3.3.3')).toBeNull();
  });

  it('holds an address after its failures across accounts; a success clears the account only', () => {
    const limiter = new SignInLimiter(limits, () => 0);
    for (const email of ['a@x', 'b@x', 'c@x']) limiter.recordFailure(email, '9.9.9.9');
    expect(limiter.retryAfter('d@x', '9.9.9.9')).toBe(10);
    expect(limiter.retryAfter('d@x', '8.8.8.8')).toBeNull();
    limiter.recordFailure('a@x', '8.8.8.8');
    limiter.recordSuccess('a@x');
    expect(limiter.retryAfter('a@x', '7.7.7.7')).toBeNull();
  });
});

describe('RefreshTokens', () => {
  it('recognises its own tokens by their MAC and names their session; refuses edits and other secrets', () => {
    const tokens = new RefreshTokens('s'.repeat(32));
    const token = tokens.issue('S-1');
    expect(tokens.sessionOf(token)).toBe('S-1');
    expect(tokens.sessionOf(token.replace('S-1', 'S-2'))).toBeNull();
    expect(tokens.sessionOf(`${token}x`)).toBeNull();
    expect(new RefreshTokens('t'.repeat(32)).sessionOf(token)).toBeNull();
    expect(tokens.hash(token)).not.toBe(tokens.hash(tokens.issue('S-1')));
  });
});
