import { afterEach, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../../api/app';

const readiness = { database: async () => {}, temporal: async () => {} };

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('security headers', () => {
  it('sends helmet headers on API answers and problems alike', async () => {
    app = await buildApp({ readiness });
    for (const url of ['/healthz', '/no/such/route']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=/);
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    }
  });

  it('keeps the docs page working: its scripts and styles come from this server, no upgrade to https', async () => {
    app = await buildApp({ readiness });
    const page = await app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger-initializer.js');
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toMatch(/upgrade-insecure-requests/);
    expect(page.body).not.toMatch(/<script>(?!\s*<\/script>)/);
    const script = await app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
    expect(script.statusCode).toBe(200);
  });
});

describe('CORS', () => {
  it('answers an allowed origin, preflight included, and says nothing to another', async () => {
    app = await buildApp({ readiness, corsOrigins: ['https://crm.example.com'] });
    const allowed = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { origin: 'https://crm.example.com' },
    });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://crm.example.com');
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/v1/customers',
      headers: { origin: 'https://crm.example.com', 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    const refused = await app.inject({ method: 'GET', url: '/healthz', headers: { origin: 'https://evil.example' } });
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sends no CORS header at all without an allow-list', async () => {
    app = await buildApp({ readiness });
    const res = await app.inject({ method: 'GET', url: '/healthz', headers: { origin: 'https://crm.example.com' } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
