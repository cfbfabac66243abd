import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';

export const REQUEST_ID_HEADER = 'x-request-id';

// The id lands in logs and a response header: anything longer or with other
// characters could forge log lines or split headers, so it is replaced instead.
const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Fastify's `genReqId`: keeps a caller's id so one request can be followed
 * across systems, and mints a UUID otherwise. Fastify puts it in every log
 * line of the request as `reqId`.
 */
export function resolveRequestId(raw: IncomingMessage): string {
  const given = raw.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
}

// onRequest runs before any failure a request can hit (parsing, validation,
// 404), and the error handler keeps headers already set, so every reply carries it.
async function echoRequestId(app: FastifyInstance) {
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
}

export default fp(echoRequestId, { name: 'request-id', fastify: '5.x' });
