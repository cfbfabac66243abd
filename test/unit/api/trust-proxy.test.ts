import { afterEach, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../api/app';

const readiness = { database: async () => {}, temporal: async () => {} };

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** The address the API takes for the client (what rate limits and the audit trail record). */
async function clientAddress(trustProxy: string | false | undefined, from: string, forwardedFor?: string) {
  app = await buildApp({ readiness, ...(trustProxy === undefined ? {} : { trustProxy }) });
  app.get('/client-address', async (request) => ({ ip: request.ip }));
  const response = await app.inject({
    method: 'GET',
    url: '/client-address',
    remoteAddress: from,
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  });
  await app.close();
  app = undefined;
  return (response.json() as { ip: string }).ip;
}

describe('the client address behind proxies', () => {
  it('ignores X-Forwarded-For by default: a client cannot choose the address it is recorded under', async () => {
    expect(await clientAddress(undefined, '198.51.100.4', '203.0.113.9')).toBe('198.51.100.4');
  });

  it('takes X-Forwarded-For from a named proxy only', async () => {
    expect(await clientAddress('10.0.0.0/8', '10.1.2.3', '203.0.113.9')).toBe('203.0.113.9');
    expect(await clientAddress('10.0.0.0/8', '198.51.100.4', '203.0.113.9')).toBe('198.51.100.4');
  });
});
