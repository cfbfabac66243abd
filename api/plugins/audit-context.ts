import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { runAsAuditActor, type AuditActor, type AuditActorSource } from '../../db/audit/audit-context';

const USER_AGENT_MAX = 512;

/**
 * Opens the audit context of each request: the changes its handler writes are recorded against
 * the request's principal, IP, request id and user agent. Registered before the auth plugin so
 * that what authentication itself writes is covered too; the principal is read when a change is
 * written, by which time authentication has set it.
 */
async function auditContext(app: FastifyInstance) {
  const sources = new WeakMap<FastifyRequest, AuditActorSource>();
  app.addHook('onRequest', (request, _reply, done) => {
    const source = () => auditActorOf(request);
    sources.set(request, source);
    runAsAuditActor(source, done);
  });
  // The body is read from stream events that run outside the request's async context: enter it
  // again for the rest of the request (validation, handler).
  app.addHook('preValidation', (request, _reply, done) => {
    const source = sources.get(request);
    if (source) runAsAuditActor(source, done);
    else done();
  });
}

export function auditActorOf(request: FastifyRequest): AuditActor {
  const principal = request.principal;
  const userAgent = request.headers['user-agent'];
  const where = {
    ip: request.ip || null,
    requestId: request.id,
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, USER_AGENT_MAX) : null,
  };
  if (!principal) return { actor: 'anonymous', onBehalfOf: null, ...where };
  if (principal.kind === 'system')
    return { actor: `key:${principal.keyId}`, onBehalfOf: `user:${principal.userId}`, ...where };
  return { actor: `user:${principal.userId}`, onBehalfOf: `user:${principal.userId}`, ...where };
}

export default fp(auditContext, { name: 'audit-context', fastify: '5.x' });
