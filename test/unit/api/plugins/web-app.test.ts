import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../../api/app';

const readiness = { database: async () => {}, temporal: async () => {} };

describe('serving the web app beside the API', () => {
  let dist: string;
  let app: FastifyInstance;
  let unbuilt: FastifyInstance;

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'web-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>staff</title>');
    writeFileSync(join(dist, 'link.html'), '<!doctype html><title>link</title>');
    writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dist, 'robots.txt'), 'User-agent: *');
    writeFileSync(join(tmpdir(), 'outside-web-dist.txt'), 'secret');
    app = await buildApp({ readiness, web: { root: dist } });
    unbuilt = await buildApp({
      readiness,
      web: { root: join(dist, 'missing'), unavailableReason: 'Vite is not installed <here>' },
    });
  });
  afterAll(async () => {
    await app.close();
    await unbuilt.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('serves the staff app for / and for every page path, never cached', async () => {
    for (const url of [
      '/',
      '/inbox',
      '/tasks/i-1%3Astep',
      '/tasks/q-1%3Asteps%5B0%5D.forEach.review%400.1',
      '/inbox?view=queue&sort=due',
    ]) {
      const response = await app.inject({ url });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/text\/html/);
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.body).toContain('<title>staff</title>');
    }
  });

  it('serves the signed-link pages from their own entry', async () => {
    const response = await app.inject({ url: '/l/eyJhbGciOi.abc' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<title>link</title>');
  });

  it('serves hashed assets as immutable and other files briefly cached', async () => {
    const asset = await app.inject({ url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect(asset.headers['content-type']).toMatch(/javascript/);
    const robots = await app.inject({ url: '/robots.txt' });
    expect(robots.statusCode).toBe(200);
    expect(robots.body).toBe('User-agent: *');
  });

  it('answers 404 for a missing file, and never a file outside the build', async () => {
    expect((await app.inject({ url: '/assets/gone-123.js' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/favicon.ico' })).statusCode).toBe(404);
    for (const url of [
      '/assets/../../outside-web-dist.txt',
      '/assets/%2e%2e/%2e%2e/outside-web-dist.txt',
      '/..%2foutside-web-dist.txt',
    ]) {
      const response = await app.inject({ url });
      expect(response.body).not.toContain('secret');
    }
  });

  it('leaves unknown API paths to the API: problem+json 404, not the app page', async () => {
    for (const url of ['/api/v1/nothing-here', '/api', '/docs/nothing/here.html']) {
      const response = await app.inject({ url });
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });

  it('says why when there is no build, with the API still answering', async () => {
    const response = await unbuilt.inject({ url: '/inbox' });
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('Vite is not installed &#60;here&#62;');
    expect(response.body).toContain('npm run web:build');
    expect((await unbuilt.inject({ url: '/healthz' })).statusCode).toBe(200);
  });
});
