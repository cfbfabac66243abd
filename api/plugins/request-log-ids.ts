import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The process ids a request is about, from its route's parameters, for its log lines. */
export function logIdsOf(request: Pick<FastifyRequest, 'routeOptions' | 'params'>): Record<string, string> | null {
  const url = request.routeOptions.url ?? '';
  const id = (request.params as Record<string, unknown> | undefined)?.['id'];
  if (typeof id !== 'string' || id === '') return null;
  if (url.startsWith('/api/v1/instances/:id')) return { instanceId: id };
  if (url.startsWith('/api/v1/tasks/:id')) {
    // A task id is `<instanceId>:<step path>@<iteration>`; the path itself has no colon.
    const colon = id.lastIndexOf(':');
    return colon > 0 ? { taskId: id, instanceId: id.slice(0, colon) } : { taskId: id };
  }
  return null;
}

/**
 * Binds the instance and task a request is about to its logger, so "request completed" and every
 * line a handler logs can be found by the ids the workers' activity log lines carry.
 */
async function requestLogIds(app: FastifyInstance) {
  app.addHook('onRequest', async (request, reply) => {
    const ids = logIdsOf(request);
    if (!ids) return;
    request.log = request.log.child(ids);
    // Fastify logs "request completed" through the reply's logger, taken when the request arrived.
    reply.log = request.log;
  });
}

export default fp(requestLogIds, { name: 'request-log-ids', fastify: '5.x' });
