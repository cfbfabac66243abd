import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { describeProblem, problemBody, titleForStatus } from '../problem-from-error';
import type { ProblemDescription } from '../problem-from-error';

const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

// The query string may carry tokens or personal data; the path is enough to identify the request.
function instanceOf(request: FastifyRequest): string {
  const query = request.url.indexOf('?');
  return query === -1 ? request.url : request.url.slice(0, query);
}

function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: ProblemDescription) {
  return (
    reply
      .code(problem.status)
      .type(PROBLEM_CONTENT_TYPE)
      // The body is built here, not by the route: serialising it with the route's response schema
      // for that status (`400: ValidationProblem` requires `errors`) turned any problem that did not
      // match it, Fastify's own unparsable-body 400 first, into a 500 FST_ERR_FAILED_ERROR_SERIALIZATION.
      .serializer(JSON.stringify)
      .send(problemBody(problem, instanceOf(request)))
  );
}

/**
 * The one place errors become RFC 9457 responses, so no route can leak 5xx
 * detail by formatting its own error. Registered at the root (fastify-plugin)
 * so every route, including ones added by other plugins, inherits it.
 */
async function problemDetails(app: FastifyInstance) {
  app.setErrorHandler((error, request, reply) => {
    const problem = describeProblem(error, reply);
    if (problem.unexpected) {
      request.log.error({ err: error }, 'request failed');
    } else if (problem.status >= 500) {
      request.log.warn({ problem: problem.type, detail: problem.detail, err: error }, 'request failed');
    } else {
      request.log.info({ problem: problem.type, detail: problem.detail }, 'request rejected');
      const headers = (error as { headers?: unknown }).headers;
      // 4xx errors may carry headers the client needs (Allow on 405, WWW-Authenticate on 401).
      if (typeof headers === 'object' && headers !== null) reply.headers(headers as Record<string, string>);
    }
    if (problem.headers) reply.headers(problem.headers);
    return sendProblem(request, reply, problem);
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, {
      status: 404,
      type: 'not-found',
      title: titleForStatus(404),
      detail: `Route ${request.method} ${instanceOf(request)} not found.`,
      extensions: {},
      unexpected: false,
    }),
  );
}

export default fp(problemDetails, { name: 'problem-details', fastify: '5.x' });
