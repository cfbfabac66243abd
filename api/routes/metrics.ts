import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { EngineContext } from '../engine-deps';
import { Problem } from '../schemas/problem';
import { OperationsMetrics } from '../services/operations-metrics';

/**
 * Prometheus scrapes this with an API key as a bearer token (`authorization.credentials` in its
 * scrape config): an admin's, or a `system` user's key whose scope reads `metrics`.
 */
const metricsRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  // Made on the first scrape: the Node.js collectors it starts are wasted on an API nobody scrapes.
  let metrics: OperationsMetrics | undefined;

  app.get(
    '/metrics',
    {
      config: { permission: 'metrics.read' },
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics (text exposition format)',
        description:
          'Read from PostgreSQL at scrape time, at most once every 5 s whoever asks: `crm_process_instances{template,status}`, ' +
          '`crm_process_instances_failing_activity{template}`, open tasks per template and queue (`crm_open_tasks`, `crm_open_task_oldest_age_seconds`, ' +
          '`crm_open_tasks_by_age{le}`, `crm_open_tasks_overdue`), `crm_task_sla_breaches`, the mail outbox (`crm_mail_outbox_pending`, ' +
          '`…_oldest_pending_age_seconds`, `…_failed`, `…_possible_duplicates`), the trigger outbox (`crm_trigger_events_pending`, ' +
          '`crm_trigger_event_oldest_pending_age_seconds`, `crm_trigger_events_retrying`), the webhook outbox (`crm_webhook_deliveries_pending`, ' +
          '`crm_webhook_delivery_oldest_pending_age_seconds`, `crm_webhook_deliveries_retrying`, `crm_webhook_subscriptions_disabled`); this process’s Node.js metrics (`process_*`, `nodejs_*`); ' +
          'and, when a worker runs in this process, the Temporal SDK’s worker metrics (`temporal_*`). ' +
          'Needs `metrics.read`: admins, and API keys of `system` users whose scope has `read: ["metrics"]`.',
        response: {
          200: Type.String({ description: 'text/plain; version=0.0.4' }),
          401: Problem,
          403: Problem,
        },
      },
    },
    async (_request, reply) => {
      metrics ??= new OperationsMetrics({
        orm: ctx.orm,
        temporalMetricsUrl: ctx.temporalMetricsUrl,
      });
      const text = await metrics.render();
      // The response schema documents the text; a string payload with a non-JSON type is sent as it is.
      return reply.type(metrics.contentType).send(text as never);
    },
  );
};

export default metricsRoutes;

/**
 * `/metrics`, where Prometheus looks by default, outside /api/v1: a permanent redirect to the route
 * above, which authenticates. Prometheus follows it (`follow_redirects` is on by default) and keeps
 * its bearer token, the host being the same.
 */
export const rootMetricsRedirect: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        summary: 'Redirects to /api/v1/metrics (which needs `metrics.read`)',
        response: { 308: Type.Null() },
      },
    },
    async (_request, reply) => reply.redirect('/api/v1/metrics', 308),
  );
};
