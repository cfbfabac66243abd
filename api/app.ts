import Fastify from 'fastify';
import type { FastifyBaseLogger, FastifyInstance, FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import openApi from './plugins/openapi';
import problemDetails from './plugins/problem-details';
import requestId, { resolveRequestId } from './plugins/request-id';
import healthRoutes from './routes/health';
import instanceRoutes from './routes/instances';
import taskRoutes from './routes/tasks';
import templateRoutes from './routes/templates';
import auth, { type Credential } from './plugins/auth';
import auditContext from './plugins/audit-context';
import auditRoutes from './routes/audit';
import type { Principal } from './principal';
import { createEngineContext, type EngineContext, type EngineDeps } from './engine-deps';
import type { ReadinessChecks } from './readiness';
import crmRoutes from './routes/crm';
import { PHONE_FORMAT, isValidPhone } from '../db/crm/fields/phone';

export type { ReadinessChecks } from './readiness';

const DEFAULT_READINESS_TIMEOUT_MS = 3000;

/**
 * Everything the API needs from outside, passed in so tests and the runtime
 * choose the real thing or a stand-in. Add members here (the ORM, the
 * Temporal client) rather than importing them from a module.
 */
export interface AppDeps {
  /** A pino logger to share with the rest of the process, or Fastify logger options. Default: no logging. */
  logger?: FastifyBaseLogger | FastifyServerOptions['logger'];
  readiness: ReadinessChecks;
  /** How long each readiness check may take before it counts as failed. Default 3000 ms. */
  readinessTimeoutMs?: number;
  /** The process engine; without it only the health routes and docs are served. */
  engine?: EngineDeps;
}

function isLoggerInstance(logger: AppDeps['logger']): logger is FastifyBaseLogger {
  return typeof logger === 'object' && logger !== null && typeof (logger as FastifyBaseLogger).child === 'function';
}

/**
 * Builds the API without listening, so tests can `inject` and add routes
 * before `ready()`. Load order is explicit: external plugins, then the app's
 * own plugins, then routes, because each stage relies on the one before
 * (swagger must see every route; routes rely on the error handler).
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const loggerOptions = isLoggerInstance(deps.logger)
    ? { loggerInstance: deps.logger }
    : { logger: deps.logger ?? false };
  const app = Fastify({
    ...loggerOptions,
    genReqId: resolveRequestId,
    // Task ids carry the step's path inside loops (`<instance>:rounds/…/approve@0.1`); the default
    // 100 characters made /tasks/:id answer 414 for a task nested a few levels deep. TaskIdParam
    // allows 400, which percent-encoding can triple.
    maxParamLength: 1200,
    // Report every validation failure at once, not the first only.
    // `phone` is the CRM schemas' format (TypeBox's registry has it too); ajv must know it to compile them.
    ajv: { customOptions: { allErrors: true, removeAdditional: false, formats: { [PHONE_FORMAT]: isValidPhone } } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(openApi);

  await app.register(requestId);
  await app.register(problemDetails);

  await app.register(healthRoutes, {
    readiness: deps.readiness,
    readinessTimeoutMs: deps.readinessTimeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS,
  });
  if (deps.engine) await registerEngine(app, createEngineContext(deps.engine, app.log));

  return app;
}

async function registerEngine(app: FastifyInstance, ctx: EngineContext): Promise<void> {
  const pollMs = ctx.triggerPollMs ?? 500;
  if (pollMs > 0) {
    app.addHook('onReady', async () => ctx.triggers.start(pollMs));
  }
  app.addHook('onClose', async () => ctx.triggers.stop());
  await app.register(
    async (v1) => {
      // Before auth: what a request writes, authentication included, is recorded against it.
      await v1.register(auditContext);
      // Inside the /api/v1 scope: its onRequest hook guards exactly the routes registered here.
      await v1.register(auth, { authenticate: (credential) => authenticate(ctx, credential) });
      await v1.register(templateRoutes, { ctx });
      await v1.register(instanceRoutes, { ctx });
      await v1.register(taskRoutes, { ctx });
      await v1.register(crmRoutes, { ctx });
      await v1.register(auditRoutes, { ctx });
    },
    { prefix: '/api/v1' },
  );
}

async function authenticate(ctx: EngineContext, credential: Credential): Promise<Principal | null> {
  if (credential.kind === 'cookie') return null;
  const user = await ctx.users.findByApiKey(ctx.orm.em.fork(), credential.secret);
  if (!user || !user.active) return null;
  return {
    kind: 'system',
    keyId: user.id,
    scopes: { templates: '*', events: '*', read: '*' },
    userId: user.id,
    name: user.name,
    email: user.email,
    roles: user.roles,
    attributes: user.attributes as Record<string, unknown>,
    managerId: user.managerId ?? null,
  };
}
