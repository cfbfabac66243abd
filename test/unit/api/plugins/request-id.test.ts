import { afterEach, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../../api/app';
import { captureLog } from '../log-capture';

const readiness = { database: async () => {}, temporal: async () => {} };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('request ids', () => {
  it('echoes a given x-request-id and logs the request under it', async () => {
    const log = captureLog();
    app = await buildApp({ readiness, logger: log.logger });
    const res = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'crm.gateway_42-a' } });
    expect(res.headers['x-request-id']).toBe('crm.gateway_42-a');
    const requestLogs = log.records().filter((record) => 'reqId' in record);
    expect(requestLogs.length).toBeGreaterThan(0);
    expect(requestLogs.every((record) => record['reqId'] === 'crm.gateway_42-a')).toBe(true);
  });

  it('generates a UUID when no id is given, different per request', async () => {
    app = await buildApp({ readiness });
    const first = await app.inject({ method: 'GET', url: '/healthz' });
    const second = await app.inject({ method: 'GET', url: '/healthz' });
    expect(first.headers['x-request-id']).toMatch(UUID);
    expect(second.headers['x-request-id']).toMatch(UUID);
    expect(first.headers['x-request-id']).not.toBe(second.headers['x-request-id']);
  });

  it.each([
    ['too long', 'a'.repeat(129)],
    ['with a space', 'abc def'],
    ['with a comma (a repeated header)', 'abc,def'],
    ['with a log-forging brace', '{"level":60}'],
    ['empty', ''],
  ])('replaces an id that is %s with a UUID', async (_label, given) => {
    app = await buildApp({ readiness });
    const res = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': given } });
    expect(res.headers['x-request-id']).toMatch(UUID);
  });

  it('accepts an id of exactly 128 characters', async () => {
    app = await buildApp({ readiness });
    const given = 'b'.repeat(128);
    const res = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': given } });
    expect(res.headers['x-request-id']).toBe(given);
  });

  it('echoes the id on error replies too', async () => {
    app = await buildApp({ readiness });
    app.get('/boom', async () => {
      throw new Error('boom');
    });
    const notFound = await app.inject({ method: 'GET', url: '/missing', headers: { 'x-request-id': 'r-404' } });
    const failed = await app.inject({ method: 'GET', url: '/boom', headers: { 'x-request-id': 'r-500' } });
    expect(notFound.statusCode).toBe(404);
    expect(notFound.headers['x-request-id']).toBe('r-404');
    expect(failed.statusCode).toBe(500);
    expect(failed.headers['x-request-id']).toBe('r-500');
  });
});
