import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import { derivedKey } from '../../../db/auth';
import { startApiHarness, type ApiHarness } from '../../support/api-harness';
import { TEST_AUTH_SECRET } from '../../support/test-auth';
import { PASSWORD, newAddress, newPerson, signIn, signedIn, withToken } from './auth-fixtures';

const ME = { method: 'GET', url: '/api/v1/auth/me' } as const;

/** People signing in: tokens, refresh rotation, sign-out, revocation, limits; on the real API and database. */
describe('sign-in and sessions', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApiHarness();
  });
  afterAll(async () => {
    await api.close();
  });

  it('signs a demo person in with e-mail and password: a bearer access token, a refresh token and its cookie', async () => {
    const response = await signIn(api, 'Sales.Rep@crm.example', 'demo-password-2026');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 900,
      refreshToken: expect.any(String),
      user: { id: 'u-sales-rep', email: 'sales.rep@crm.example', roles: ['sales-rep'], locale: null },
    });
    const cookie = response.cookies.find((c) => c.name === 'crm_refresh');
    expect(cookie).toMatchObject({
      value: body.refreshToken,
      httpOnly: true,
      sameSite: 'Strict',
      path: '/api/v1/auth',
    });

    const me = await withToken(api, body.accessToken, ME);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ kind: 'user', user: { id: 'u-sales-rep' }, sessionId: expect.any(String) });
    // The session is on record as the person's own act, with where it came from.
    const trail = await api.call('admin', {
      method: 'GET',
      url: `/api/v1/audit?subject=${encodeURIComponent(`auth_session:${me.json().sessionId}`)}`,
    });
    expect(trail.json().items).toEqual([
      expect.objectContaining({ action: 'AuthSession.create', actor: 'user:u-sales-rep', ip: expect.any(String) }),
    ]);
    // The token carries no roles: the rep's rights come from the database, so customers.read works, users.manage not.
    expect((await withToken(api, body.accessToken, { method: 'GET', url: '/api/v1/customers' })).statusCode).toBe(200);
    expect((await withToken(api, body.accessToken, { method: 'GET', url: '/api/v1/api-keys' })).statusCode).toBe(403);
  });

  it('answers a wrong password and an unknown e-mail with the same 401, and an inactive person too', async () => {
    const person = await newPerson(api);
    const wrongPassword = await signIn(api, person.email, 'not the password at all');
    const unknownEmail = await signIn(api, `nobody-${person.id}@auth.test`, PASSWORD);
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknownEmail.statusCode).toBe(401);
    expect(unknownEmail.body).toBe(wrongPassword.body);
    expect(unknownEmail.headers['content-type']).toBe(wrongPassword.headers['content-type']);

    const deactivated = await api.call('admin', {
      method: 'PATCH',
      url: `/api/v1/users/${person.id}`,
      payload: { active: false },
    });
    expect(deactivated.statusCode).toBe(200);
    const inactive = await signIn(api, person.email, PASSWORD);
    expect(inactive.statusCode).toBe(401);
    expect(inactive.body).toBe(wrongPassword.body);
  });

  it('refuses the sixth attempt on one account within 15 minutes with 429 and Retry-After, even with the right password', async () => {
    const person = await newPerson(api);
    for (let attempt = 0; attempt < 5; attempt++) {
      expect((await signIn(api, person.email, `wrong-${attempt}`)).statusCode).toBe(401);
    }
    const limited = await signIn(api, person.email, PASSWORD);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(800);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(900);
  });

  it('refuses an address after 20 failed sign-ins in a minute, whatever the e-mail', async () => {
    const address = newAddress();
    for (let attempt = 0; attempt < 20; attempt++) {
      expect((await signIn(api, `guess-${attempt}@auth.test`, 'guess', address)).statusCode).toBe(401);
    }
    const limited = await signIn(api, 'sales.rep@crm.example', 'demo-password-2026', address);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Another address is not affected.
    expect((await signIn(api, 'sales.rep@crm.example', 'demo-password-2026')).statusCode).toBe(200);
  });

  it('rotates the refresh token on every refresh; a used one coming back ends the session', async () => {
    const person = await newPerson(api);
    const first = await signedIn(api, person);
    const refreshed = await api.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: first.refreshToken },
    });
    expect(refreshed.statusCode).toBe(200);
    const second = refreshed.json<{ accessToken: string; refreshToken: string }>();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await withToken(api, second.accessToken, ME)).statusCode).toBe(200);

    // The browser way: the cookie alone, no body.
    const byCookie = await api.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      cookies: { crm_refresh: second.refreshToken },
    });
    expect(byCookie.statusCode).toBe(200);
    const third = byCookie.json<{ accessToken: string; refreshToken: string }>();

    // The first token again: someone kept a copy. The whole session ends, its newest tokens included.
    const reused = await api.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: first.refreshToken },
    });
    expect(reused.statusCode).toBe(401);
    expect((await withToken(api, third.accessToken, ME)).statusCode).toBe(401);
    const afterTheft = await api.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: third.refreshToken },
    });
    expect(afterTheft.statusCode).toBe(401);
  });

  it('refuses a forged refresh token without touching the session it names', async () => {
    const person = await newPerson(api);
    const session = await signedIn(api, person);
    const [sessionId] = session.refreshToken.split('.');
    const forged = await api.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: `${sessionId}.made-up.signature` },
    });
    expect(forged.statusCode).toBe(401);
    expect((await withToken(api, session.accessToken, ME)).statusCode).toBe(200);
  });

  it('signs out: the session ends and its access token answers 401 at once', async () => {
    const person = await newPerson(api);
    const session = await signedIn(api, person);
    const out = await api.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-out',
      cookies: { crm_refresh: session.cookie },
    });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === 'crm_refresh')?.value).toBe('');
    expect((await withToken(api, session.accessToken, ME)).statusCode).toBe(401);

    const other = await signedIn(api, person);
    const outByBearer = await withToken(api, other.accessToken, { method: 'POST', url: '/api/v1/auth/sign-out' });
    expect(outByBearer.statusCode).toBe(204);
    expect((await withToken(api, other.accessToken, ME)).statusCode).toBe(401);
  });

  it('lets an admin list and revoke a person’s sessions; their access tokens answer 401 at once', async () => {
    const person = await newPerson(api);
    const one = await signedIn(api, person);
    const two = await signedIn(api, person);
    const listed = await api.call('admin', { method: 'GET', url: `/api/v1/users/${person.id}/sessions` });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items).toHaveLength(2);
    const own = await withToken(api, one.accessToken, { method: 'GET', url: '/api/v1/auth/sessions' });
    expect(own.json().items.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect((await api.call('rep', { method: 'DELETE', url: `/api/v1/users/${person.id}/sessions` })).statusCode).toBe(
      403,
    );

    const revoked = await api.call('admin', { method: 'DELETE', url: `/api/v1/users/${person.id}/sessions` });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toEqual({ revoked: 2 });
    expect((await withToken(api, one.accessToken, ME)).statusCode).toBe(401);
    expect((await withToken(api, two.accessToken, ME)).statusCode).toBe(401);
  });

  it('changes a person’s own password: the current session stays, the others end', async () => {
    const person = await newPerson(api);
    const current = await signedIn(api, person);
    const other = await signedIn(api, person);
    const change = (currentPassword: string) =>
      withToken(api, current.accessToken, {
        method: 'POST',
        url: '/api/v1/auth/password',
        payload: { currentPassword, newPassword: 'a brand new passphrase' },
      });
    expect((await change('not my password')).statusCode).toBe(401);
    expect((await change(PASSWORD)).statusCode).toBe(204);
    expect((await withToken(api, current.accessToken, ME)).statusCode).toBe(200);
    expect((await withToken(api, other.accessToken, ME)).statusCode).toBe(401);
    expect((await signIn(api, person.email, 'a brand new passphrase')).statusCode).toBe(200);
    expect((await signIn(api, person.email, PASSWORD)).statusCode).toBe(401);
    const short = await api.call('admin', {
      method: 'PUT',
      url: `/api/v1/users/${person.id}/password`,
      payload: { password: 'too short' },
    });
    expect(short.statusCode).toBe(400);
  });

  describe('refuses access tokens it did not issue or that ran out', () => {
    let person: { id: string; email: string };
    let valid: string;
    let sessionId: string;
    beforeAll(async () => {
      person = await newPerson(api);
      valid = (await signedIn(api, person)).accessToken;
      sessionId = (await withToken(api, valid, ME)).json().sessionId as string;
    });
    const sign = (key: Uint8Array, claims: { sub: string; sid: string; iat: number; exp: number }) =>
      new SignJWT({ sid: claims.sid })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(claims.sub)
        .setIssuedAt(claims.iat)
        .setExpirationTime(claims.exp)
        .sign(key);
    const now = () => Math.floor(Date.now() / 1000);
    const ourKey = () => new Uint8Array(derivedKey(TEST_AUTH_SECRET, 'access-token'));

    it('accepts a token signed with our key (the control)', async () => {
      const token = await sign(ourKey(), { sub: person.id, sid: sessionId, iat: now(), exp: now() + 60 });
      expect((await withToken(api, token, ME)).statusCode).toBe(200);
    });

    it('refuses an expired token', async () => {
      const token = await sign(ourKey(), { sub: person.id, sid: sessionId, iat: now() - 3600, exp: now() - 60 });
      const response = await withToken(api, token, ME);
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
    });

    it('refuses a token signed with another secret', async () => {
      const other = new Uint8Array(derivedKey('another-secret-of-at-least-32-characters!!', 'access-token'));
      const token = await sign(other, { sub: person.id, sid: sessionId, iat: now(), exp: now() + 60 });
      expect((await withToken(api, token, ME)).statusCode).toBe(401);
    });

    it('refuses an unsigned token (alg none)', async () => {
      const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const token = `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: person.id, sid: sessionId, iat: now(), exp: now() + 60 })}.`;
      expect((await withToken(api, token, ME)).statusCode).toBe(401);
    });

    it('refuses a token whose payload was changed (another user, same signature)', async () => {
      const [header, payload, signature] = valid.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      const tampered = Buffer.from(JSON.stringify({ ...claims, sub: 'u-admin' })).toString('base64url');
      expect((await withToken(api, `${header}.${tampered}.${signature}`, ME)).statusCode).toBe(401);
    });

    it('refuses a token naming another user’s session', async () => {
      const token = await sign(ourKey(), { sub: 'u-admin', sid: sessionId, iat: now(), exp: now() + 60 });
      expect((await withToken(api, token, ME)).statusCode).toBe(401);
    });
  });
});
