import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { keyedHash } from '../../../db/auth';
import { startApiHarness, type ApiHarness } from '../../support/api-harness';
import { TEST_AUTH_SECRET } from '../../support/test-auth';
import { withKey } from './auth-fixtures';
import { approvalTemplate } from '../api/approval-template';

interface CreatedKey {
  id: string;
  secret: string;
  prefix: string;
}

/** API keys of systems: shown once, stored as a keyed hash, scoped, expiring, revocable. */
describe('API keys', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApiHarness();
  });
  afterAll(async () => {
    await api.close();
  });

  async function createKey(body: Record<string, unknown>): Promise<CreatedKey> {
    const created = await api.call('admin', {
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { userId: 'u-admin', name: 'integration', ...body },
    });
    expect(created.statusCode).toBe(201);
    return created.json<CreatedKey>();
  }
  const listed = async (id: string) =>
    (
      (await api.call('admin', { method: 'GET', url: '/api/v1/api-keys' })).json().items as Record<string, unknown>[]
    ).find((key) => key.id === id);

  it('shows the secret once, lists the key without it, stores a keyed hash (not sha256) and notes its use', async () => {
    const key = await createKey({ scopes: { read: '*' } });
    expect(key.secret).toMatch(/^crm_[\w-]{8}_[\w-]+$/);
    expect(key.secret.startsWith(key.prefix)).toBe(true);

    const before = await listed(key.id);
    expect(before).toMatchObject({ id: key.id, userId: 'u-admin', prefix: key.prefix, lastUsedAt: null });
    expect(JSON.stringify(before)).not.toContain(key.secret);
    expect(before).not.toHaveProperty('secret');

    const [row] = await api.engine.orm.em
      .fork()
      .execute<{ secret_hash: string }[]>('select secret_hash from api_key where id = ?', [key.id]);
    expect(row?.secret_hash).not.toBe(createHash('sha256').update(key.secret).digest('hex'));
    expect(row?.secret_hash).toBe(keyedHash(TEST_AUTH_SECRET, 'api-key', key.secret));

    const me = await withKey(api, key.secret, { method: 'GET', url: '/api/v1/auth/me' });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ kind: 'system', keyId: key.id, user: { id: 'u-admin' } });
    expect((await listed(key.id))?.lastUsedAt).toEqual(expect.any(String));
    // As a bearer too (scripts).
    const bearer = await api.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${key.secret}` },
    });
    expect(bearer.statusCode).toBe(200);
  });

  it('answers 401 for a revoked key at once, and 404 for revoking an unknown one', async () => {
    const key = await createKey({ scopes: { read: '*' } });
    expect((await withKey(api, key.secret, { method: 'GET', url: '/api/v1/customers' })).statusCode).toBe(200);
    const revoked = await api.call('admin', { method: 'DELETE', url: `/api/v1/api-keys/${key.id}` });
    expect(revoked.statusCode).toBe(204);
    expect((await withKey(api, key.secret, { method: 'GET', url: '/api/v1/customers' })).statusCode).toBe(401);
    expect((await listed(key.id))?.revokedAt).toEqual(expect.any(String));
    expect((await api.call('admin', { method: 'DELETE', url: '/api/v1/api-keys/K-none' })).statusCode).toBe(404);
  });

  it('answers 401 for an expired key', async () => {
    const key = await createKey({ scopes: { read: '*' }, expiresAt: new Date(Date.now() + 3600_000).toISOString() });
    expect((await withKey(api, key.secret, { method: 'GET', url: '/api/v1/customers' })).statusCode).toBe(200);
    await api.engine.orm.em
      .fork()
      .execute(`update api_key set expires_at = now() - interval '1 second' where id = ?`, [key.id]);
    // A change made outside the API reaches its principal cache by PostgreSQL's notification.
    await api.app.credentialChanges!.settle();
    expect((await withKey(api, key.secret, { method: 'GET', url: '/api/v1/customers' })).statusCode).toBe(401);
    const past = await api.call('admin', {
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { userId: 'u-admin', name: 'old', scopes: {}, expiresAt: '2020-01-01T00:00:00Z' },
    });
    expect(past.statusCode).toBe(422);
  });

  it('reads only the record kinds its scope lists', async () => {
    const key = await createKey({ scopes: { read: ['orders'] } });
    const customers = await withKey(api, key.secret, { method: 'GET', url: '/api/v1/customers' });
    expect(customers.statusCode).toBe(403);
    expect((await withKey(api, key.secret, { method: 'GET', url: '/api/v1/orders' })).statusCode).toBe(200);
  });

  it('starts only the templates its scope lists', async () => {
    const { key: template, yaml } = approvalTemplate();
    const yamlBody = { 'content-type': 'application/yaml' };
    await api.call('admin', {
      method: 'PUT',
      url: `/api/v1/templates/${template}/draft`,
      headers: yamlBody,
      payload: yaml,
    });
    expect((await api.call('admin', { method: 'POST', url: `/api/v1/templates/${template}/publish` })).statusCode).toBe(
      201,
    );
    const start = { method: 'POST' as const, url: '/api/v1/instances', payload: { template, input: {} } };
    // The key's user (an admin) may start any template; the key's scope names another one.
    const outOfScope = await createKey({ scopes: { templates: ['some-other-template'], read: '*' } });
    const refused = await withKey(api, outOfScope.secret, start);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toMatch(/may not start the template/);
    // In scope, the start goes past the check (and fails on the input schema: no customer e-mail).
    const inScope = await createKey({ scopes: { templates: [template], read: '*' } });
    expect((await withKey(api, inScope.secret, start)).statusCode).toBe(400);
  });

  it('sends only the events its scope lists', async () => {
    const key = await createKey({ scopes: { events: ['delivery.confirmed'], read: '*' } });
    const send = (event: string) =>
      withKey(api, key.secret, {
        method: 'POST',
        url: '/api/v1/instances/no-such-instance/events',
        payload: { event, payload: {} },
      });
    expect((await send('stock.received')).statusCode).toBe(403);
    expect((await send('delivery.confirmed')).statusCode).not.toBe(403);
  });

  it('keeps the demo keys working and refuses unknown keys and non-admins', async () => {
    expect((await api.call('rep', { method: 'GET', url: '/api/v1/auth/me' })).json()).toMatchObject({
      kind: 'system',
      user: { id: 'u-sales-rep' },
    });
    expect((await withKey(api, 'demo-admin-key ', { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
    expect((await withKey(api, 'crm_nothing_here', { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
    expect((await api.call('rep', { method: 'GET', url: '/api/v1/api-keys' })).statusCode).toBe(403);
    const forSomeone = await api.call('manager', {
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { userId: 'u-admin', name: 'escalate', scopes: { read: '*' } },
    });
    expect(forSomeone.statusCode).toBe(403);
  });
});
