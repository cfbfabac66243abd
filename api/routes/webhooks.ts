import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import { enqueueWebhookPing, type WebhookSubscription } from '../../db/webhooks';
import type { EngineContext } from '../engine-deps';
import { principalOf } from '../plugins/auth';
import { ProblemError } from '../problem-error';
import { IdParam } from '../schemas/crm/crm-records';
import { Problem, ValidationProblem } from '../schemas/problem';
import {
  CreatedWebhook,
  CreateWebhookBody,
  UpdateWebhookBody,
  WebhookDeliveriesQuery,
  WebhookDeliveryLog,
  WebhookList,
  WebhookPing,
  WebhookRecord,
  RotatedWebhookSecret,
} from '../schemas/webhooks';
import { IdempotencyHeaders } from '../schemas/idempotency';
import { createIdempotently } from '../services/idempotent-create';
import { recordApiAction } from '../services/request-audit';
import { newWebhookSecret } from '../services/webhook-signature';
import { webhookUrlProblem } from '../services/webhook-target';

const iso = (value: Date | null | undefined) => (value ? new Date(value).toISOString() : null);

function webhookView(subscription: WebhookSubscription) {
  return {
    id: subscription.id,
    url: subscription.url,
    description: subscription.description ?? null,
    templateKeys: subscription.templateKeys ?? null,
    eventTypes: subscription.eventTypes,
    enabled: subscription.enabled,
    disabledReason: subscription.disabledReason ?? null,
    failingSince: iso(subscription.failingSince),
    lastSuccessAt: iso(subscription.lastSuccessAt),
    createdAt: new Date(subscription.createdAt).toISOString(),
    updatedAt: new Date(subscription.updatedAt).toISOString(),
    createdBy: subscription.createdBy ?? null,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const NOT_FOUND = { 404: Problem, 403: Problem };

/**
 * Outgoing webhooks (admin): subscriptions to instance and task events of some or all templates,
 * their signing secret (shown on create and rotate only), a test ping and the delivery log.
 * Deliveries are made by the worker's dispatcher (api/services/webhook-dispatcher.ts).
 */
const webhookRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  const allowInternal = ctx.webhooks?.allowPrivateTargets ?? false;
  const repository = ctx.webhookSubscriptions;

  const found = async (em: EntityManager, id: string): Promise<WebhookSubscription> => {
    // Ids are UUIDs: anything else names no subscription (and PostgreSQL would refuse it as a uuid).
    const subscription = UUID.test(id) ? await repository.get(em, id) : null;
    if (!subscription)
      throw new ProblemError({
        status: 404,
        type: 'webhook-not-found',
        title: 'Not Found',
        detail: `There is no webhook subscription '${id}'.`,
      });
    return subscription;
  };
  const checkUrl = (url: string): void => {
    const problem = webhookUrlProblem(url, allowInternal);
    if (problem !== null)
      throw new ProblemError({
        status: 422,
        type: 'webhook-url-refused',
        title: 'Unprocessable Content',
        detail: problem,
      });
  };
  const checkTemplates = async (em: EntityManager, keys: string[] | null | undefined): Promise<void> => {
    for (const key of keys ?? []) {
      if ((await ctx.templates.latest(em, key)) === null && (await ctx.templates.getDraft(em, key)) === null)
        throw new ProblemError({
          status: 422,
          type: 'unknown-template',
          title: 'Unprocessable Content',
          detail: `There is no template '${key}'.`,
        });
    }
  };

  app.post(
    '/webhooks',
    {
      config: { permission: 'webhooks.manage' },
      schema: {
        tags: ['webhooks'],
        summary: 'Subscribe a URL to instance and task events (admin); the signing secret is shown once',
        description:
          'The answer carries the signing secret; a retry with the same Idempotency-Key answers 200 with the same subscription and secret.',
        headers: IdempotencyHeaders,
        body: CreateWebhookBody,
        response: {
          200: CreatedWebhook,
          201: CreatedWebhook,
          400: ValidationProblem,
          403: Problem,
          409: Problem,
          422: Problem,
        },
      },
    },
    async (request, reply) => {
      const { url, description, templateKeys, eventTypes } = request.body;
      checkUrl(url);
      await checkTemplates(ctx.orm.em.fork(), templateKeys);
      const principal = principalOf(request);
      const { result, created } = await createIdempotently(ctx, {
        scope: 'webhooks',
        principal,
        idempotencyKey: request.headers['idempotency-key'],
        request: request.body,
        create: async (em) => {
          const subscription = await repository.create(em, {
            url,
            description: description ?? null,
            templateKeys: templateKeys ?? null,
            eventTypes,
            secret: newWebhookSecret(),
            createdBy: principal.userId,
          });
          return { id: subscription.id, eventId: null };
        },
        replay: (id) => Promise.resolve({ id, eventId: null }),
      });
      // A retried create shows the secret again: only the caller who holds the key can ask for it.
      const subscription = await found(ctx.orm.em.fork(), result.id);
      reply.code(created ? 201 : 200).header('location', `/api/v1/webhooks/${subscription.id}`);
      return { ...webhookView(subscription), secret: subscription.secret };
    },
  );

  app.get(
    '/webhooks',
    {
      config: { permission: 'webhooks.manage' },
      schema: {
        tags: ['webhooks'],
        summary: 'List webhook subscriptions (admin), without their secrets',
        response: { 200: WebhookList, 403: Problem },
      },
    },
    async () => ({ items: (await repository.list(ctx.orm.em.fork())).map(webhookView) }),
  );

  app.get(
    '/webhooks/:id',
    {
      config: { permission: 'webhooks.manage' },
      schema: {
        tags: ['webhooks'],
        summary: 'A webhook subscription (admin), without its secret',
        params: IdParam,
        response: { 200: WebhookRecord, ...NOT_FOUND },
      },
    },
    async (request) => webhookView(await found(ctx.orm.em.fork(), request.params.id)),
  );

  app.patch(
    '/webhooks/:id',
    {
      config: { permission: 'webhooks.manage' },
      schema: {
        tags: ['webhooks'],
        summary: 'Change a webhook subscription (admin); `enabled: true` re-enables a disabled one',
        params: IdParam,
        body: UpdateWebhookBody,
        response: { 200: WebhookRecord, 400: ValidationProblem, 422: Problem, ...NOT_FOUND },
      },
    },
    async (request) => {
      const em = ctx.orm.em.fork();
      const subscription = await found(em, request.params.id);
      if (request.body.url !== undefined) checkUrl(request.body.url);
      await checkTemplates(em, request.body.templateKeys);
      return webhookView(await repository.update(em, subscription, request.body));
    },
  );

  app.delete(
    '/webhooks/:id',
    {
      config: { permission: 'webhooks.manage' },
      schema: {
        tags: ['webhooks'],
        summary: 'Delete a webhook subscription (admin) with its pending deliveries and log',
        params: IdParam,
        response: { 204: { type: 'null' }, ...NOT_FOUND },
      },
    },
    async (request, reply) => {
      const em = ctx.orm.em.fork();
      await repository.remove(em, await found(em, request.params.id));
      reply.code(204);
    },
  );

  app.post(
    '/webhooks/:id/rotate-secret',
    {
      config: { permission: 'webhooks.manage' },
      schema: {
        tags: ['webhooks'],
        summary: 'Issue a new signing secret (admin); the old one stops signing at once',
        params: IdParam,
        response: { 200: RotatedWebhookSecret, ...NOT_FOUND },
      },
    },
    async (request) => {
      const em = ctx.orm.em.fork();
      const secret = newWebhookSecret();
      await repository.rotateSecret(em, await found(em, request.params.id), secret);
      return { secret };
    },
  );

  app.post(
    '/webhooks/:id/ping',
    {
      config: { permission: 'webhooks.manage' },
      schema: {
        tags: ['webhooks'],
        summary: 'Queue a `webhook.ping` to this subscription (admin); its attempts show in the delivery log',
        params: IdParam,
        response: { 202: WebhookPing, ...NOT_FOUND },
      },
    },
    async (request, reply) => {
      const em = ctx.orm.em.fork();
      const subscription = await found(em, request.params.id);
      const eventId = await enqueueWebhookPing(em, subscription.id, new Date());
      await recordApiAction(ctx.orm, 'webhook.ping', `webhook_subscription:${subscription.id}`, { eventId });
      reply.code(202);
      return { eventId };
    },
  );

  app.get(
    '/webhooks/:id/deliveries',
    {
      config: { permission: 'webhooks.manage' },
      schema: {
        tags: ['webhooks'],
        summary: "A subscription's delivery log (admin): every attempt, newest first",
        params: IdParam,
        querystring: WebhookDeliveriesQuery,
        response: { 200: WebhookDeliveryLog, 400: ValidationProblem, ...NOT_FOUND },
      },
    },
    async (request) => {
      const em = ctx.orm.em.fork();
      const subscription = await found(em, request.params.id);
      const limit = request.query.limit ?? 50;
      const attempts = await repository.attempts(em, subscription.id, {
        limit,
        ...(request.query.before !== undefined ? { before: request.query.before } : {}),
      });
      return {
        items: attempts.map((entry) => ({ ...entry, at: entry.at.toISOString() })),
        nextBefore: attempts.length === limit ? attempts[attempts.length - 1]!.id : null,
      };
    },
  );
};

export default webhookRoutes;
