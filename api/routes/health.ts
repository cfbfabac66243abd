import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ProblemError } from '../problem-error';
import { checkReadiness } from '../readiness';
import type { CheckOutcome, ReadinessChecks } from '../readiness';
import { Liveness, NotReadyProblem, Readiness } from '../schemas/health';

export interface HealthRoutesOptions {
  readiness: ReadinessChecks;
  readinessTimeoutMs: number;
}

/**
 * Liveness and readiness are separate on purpose: an outage of PostgreSQL or
 * Temporal should take the API out of the load balancer (readyz), not get the
 * process restarted (healthz), since a restart cannot fix the dependency.
 */
const healthRoutes: FastifyPluginAsyncTypebox<HealthRoutesOptions> = async (app, options) => {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness: the process serves HTTP',
        description: 'Calls no dependency.',
        response: { 200: Liveness },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: PostgreSQL and Temporal answer, a worker polls, the embedded servers are up',
        response: { 200: Readiness, 503: NotReadyProblem },
      },
    },
    async () => {
      const report = await checkReadiness(options.readiness, options.readinessTimeoutMs);
      if (!report.ready) {
        throw new ProblemError({
          status: 503,
          type: 'service-unavailable',
          title: 'Service Unavailable',
          detail: `Not ready: ${report.failures.join('; ')}`,
          extensions: { checks: report.checks, ...(report.services ? { services: report.services } : {}) },
        });
      }
      return {
        status: 'ready' as const,
        checks: report.checks as { database: CheckOutcome; temporal: CheckOutcome; worker?: CheckOutcome },
        ...(report.services ? { services: report.services } : {}),
      };
    },
  );
};

export default healthRoutes;
