import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../../api/app';

const readiness = { database: async () => {}, temporal: async () => {} };

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('OpenAPI', () => {
  it('serves an OpenAPI 3.1 document at /docs/json with the health routes', async () => {
    const manifest = JSON.parse(await readFile(new URL('../../../../package.json', import.meta.url), 'utf8'));
    app = await buildApp({ readiness });
    const res = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'CRM process engine API', version: manifest.version });
    expect(Object.keys(doc.paths).sort()).toEqual(['/healthz', '/readyz']);
    expect(Object.keys(doc.paths['/healthz'].get.responses)).toEqual(['200']);
    const readyz = doc.paths['/readyz'].get.responses;
    expect(Object.keys(readyz).sort()).toEqual(['200', '503']);
    expect(Object.keys(readyz['200'].content)).toEqual(['application/json']);
    // Error bodies are documented with the media type the error handler sends.
    expect(Object.keys(readyz['503'].content)).toEqual(['application/problem+json']);
    expect(readyz['503'].content['application/problem+json'].schema.required).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'instance', 'checks']),
    );
  });

  it('serves the UI at /docs', async () => {
    app = await buildApp({ readiness });
    const res = await app.inject({ method: 'GET', url: '/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
  });
});
