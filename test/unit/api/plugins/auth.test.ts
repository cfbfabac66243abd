import { afterEach, describe, expect, it } from '@jest/globals';
import Fastify, { type FastifyInstance } from 'fastify';
import auth, { type Credential } from '../../../../api/plugins/auth';
import problemDetails from '../../../../api/plugins/problem-details';
import type { Principal } from '../../../../api/principal';

const rep: Principal = {
  kind: 'user',
  sessionId: 's-1',
  userId: 'u-rep',
  name: 'Rep',
  email: 'rep@example.test',
  roles: ['sales-rep'],
  attributes: {},
  managerId: null,
};

const readOnlyKey: Principal = {
  kind: 'system',
  keyId: 'K-1',
  scopes: { read: ['orders'] },
  userId: 'u-system',
  name: 'ERP',
  email: 'erp@example.test',
  roles: ['system'],
  attributes: {},
  managerId: null,
};

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** The auth plugin in a /api/v1 scope with a stand-in authenticator. */
async function appWith(routes: (v1: FastifyInstance) => void) {
  app = Fastify();
  await app.register(problemDetails);
  await app.register(
    async (v1) => {
      await v1.register(auth, {
        authenticate: async (credential: Credential) =>
          credential.secret === 'rep' ? rep : credential.secret === 'erp' ? readOnlyKey : null,
      });
      routes(v1);
    },
    { prefix: '/api/v1' },
  );
  return app;
}

describe('auth plugin', () => {
  it('refuses to register a route that declares no permission', async () => {
    await expect(
      appWith((v1) => {
        v1.get('/open', async () => ({ open: true }));
      }).then((built) => built.ready()),
    ).rejects.toThrow(/declares no permission/);
  });

  it('refuses to register a route that declares an unknown permission', async () => {
    await expect(
      appWith((v1) => {
        v1.get('/typo', { config: { permission: 'customer.read' as never } }, async () => ({}));
      }).then((built) => built.ready()),
    ).rejects.toThrow(/unknown permission 'customer.read'/);
  });

  it('answers 401 before the body is parsed or validated, and 403 for a principal without the right', async () => {
    const handled: unknown[] = [];
    const built = await appWith((v1) => {
      v1.post(
        '/customers',
        {
          config: { permission: 'customers.write' },
          schema: { body: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
        },
        async (request) => {
          handled.push(request.body);
          return { ok: true };
        },
      );
      v1.post('/products', { config: { permission: 'catalogue.write' } }, async () => {
        handled.push('product');
        return { ok: true };
      });
    });
    const anonymous = await built.inject({
      method: 'POST',
      url: '/api/v1/customers',
      payload: '{not json',
      headers: { 'content-type': 'application/json' },
    });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer');
    const forbidden = await built.inject({
      method: 'POST',
      url: '/api/v1/products',
      headers: { authorization: 'Bearer rep' },
      payload: {},
    });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().detail).toMatch(/needs one of the roles admin, designer; you have sales-rep/);
    const allowed = await built.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: { 'x-api-key': 'rep' },
      payload: { name: 'Acme' },
    });
    expect(allowed.statusCode).toBe(200);
    expect(handled).toEqual([{ name: 'Acme' }]);
  });

  it('guards the route Fastify matched, whatever the spelling of the path', async () => {
    const built = await appWith((v1) => {
      v1.get('/templates', { config: { permission: 'templates.read' } }, async () => ({ secret: 'plans' }));
    });
    for (const url of [
      '/api/v1/templates',
      '/%61pi/v1/templates',
      '/api/v1/%74emplates',
      '/api/v1/templates?x=/healthz',
    ]) {
      const response = await built.inject({ method: 'GET', url });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 401 });
    }
  });

  it("narrows an API key's reads to the record kinds its scope names", async () => {
    const built = await appWith((v1) => {
      v1.get('/orders', { config: { permission: 'orders.read' } }, async () => ({ items: [] }));
      v1.get('/customers', { config: { permission: 'customers.read' } }, async () => ({ items: [] }));
    });
    const headers = { 'x-api-key': 'erp' };
    expect((await built.inject({ method: 'GET', url: '/api/v1/orders', headers })).statusCode).toBe(200);
    const customers = await built.inject({ method: 'GET', url: '/api/v1/customers', headers });
    expect(customers.statusCode).toBe(403);
    expect(customers.json().detail).toMatch(/scope does not include reading customers/);
  });

  it('lets public routes through without a credential and leaves the principal empty', async () => {
    const built = await appWith((v1) => {
      v1.get('/schema', { config: { permission: 'public' } }, async (request) => ({ principal: request.principal }));
    });
    const response = await built.inject({ method: 'GET', url: '/api/v1/schema' });
    expect(response.json()).toEqual({ principal: null });
  });
});
