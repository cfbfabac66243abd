import Fastify from 'fastify';
import type { FastifyBaseLogger, FastifyInstance, FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import openApi from './plugins/openapi';
import problemDetails from './plugins/problem-details';
import inputLimits, { type InputLimits } from './plugins/input-limits';
import rateLimits, { type RateLimits } from './plugins/rate-limits';
import securityHeaders from './plugins/security-headers';
import { addJsonLimitsKeyword } from './input-limits/json-limits';
import requestId, { resolveRequestId } from './plugins/request-id';
import requestLogIds from './plugins/request-log-ids';
import healthRoutes from './routes/health';
import instanceRoutes from './routes/instances';
import instanceOperationRoutes from './routes/instance-operations';
import taskRoutes from './routes/tasks';
import taskInboxRoutes from './routes/task-inbox';
import taskViewRoutes from './routes/task-views';
import meRoutes from './routes/me';
import outOfOfficeRoutes from './routes/out-of-office';
import templateRoutes from './routes/templates';
import templateStudioRoutes from './routes/template-studio';
import templateDryRunRoutes from './routes/template-dry-run';
import { stopDryRuns, warmDryRuns } from './services/template-dry-run';
import cookie from '@fastify/cookie';
import auth, { ACCESS_COOKIE } from './plugins/auth';
import authRoutes from './routes/auth';
import apiKeyRoutes from './routes/api-keys';
import webhookRoutes from './routes/webhooks';
import { authenticate, watchCredentialChanges, type CredentialChangeWatch } from './services/authenticator';
import auditContext from './plugins/audit-context';
import auditRoutes from './routes/audit';
import reportRoutes from './routes/reports';
import linkRoutes from './routes/links';
import metricsRoutes, { rootMetricsRedirect } from './routes/metrics';
import { createEngineContext, type EngineContext, type EngineDeps } from './engine-deps';
import type { ReadinessChecks } from './readiness';
import crmRoutes from './routes/crm';
import { PHONE_FORMAT, isValidPhone } from '../db/crm/fields/phone';
import webApp, { type WebAppOptions } from './plugins/web-app';
import { lazySchemaCompilers } from './schema-compilers';
import { named } from './named-plugin';

export type { ReadinessChecks } from './readiness';

const DEFAULT_READINESS_TIMEOUT_MS = 3000;

declare module 'fastify' {
  interface FastifyInstance {
    /** Present with the engine: what keeps the principal cache true (tests settle it after writing credentials in SQL). */
    credentialChanges?: CredentialChangeWatch;
  }
}

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
  /** Caps on request bodies and free-form JSON; defaults in DEFAULT_INPUT_LIMITS. */
  inputLimits?: Partial<InputLimits>;
  /** Rate limits of the /api/v1 routes. Default: none (the runtime passes the configured ones). */
  rateLimits?: RateLimits;
  /** Fastify's `trustProxy`: whose `X-Forwarded-For` names the client. Default: nobody's. */
  trustProxy?: string | false;
  /** Origins browsers may call the API from. Default: none, same origin only. */
  corsOrigins?: readonly string[];
  /** The process engine; without it only the health routes and docs are served. */
  engine?: EngineDeps;
  /** The web app's build (dist/web) to serve at `/`; without it only the API is served. */
  web?: WebAppOptions;
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
  const schemaCompilers = lazySchemaCompilers();
  const app = Fastify({
    ...loggerOptions,
    genReqId: resolveRequestId,
    // request.ip feeds the rate limits, the sign-in limiter and the audit trail: only named proxies may set it.
    trustProxy: deps.trustProxy ?? false,
    // Task ids carry the step's path inside loops (`<instance>:rounds/…/approve@0.1`); the default
    // 100 characters made /tasks/:id answer 414 for a task nested a few levels deep. TaskIdParam
    // allows 400, which percent-encoding can triple.
    maxParamLength: 1200,
    // `__proto__` is refused by default; `constructor.prototype` only when asked: both are poisoning attempts.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Report every validation failure at once, not the first only.
    // `phone` is the CRM schemas' format (TypeBox's registry has it too); ajv must know it to compile them.
    ajv: {
      customOptions: { allErrors: true, removeAdditional: false, formats: { [PHONE_FORMAT]: isValidPhone } },
      plugins: [addJsonLimitsKeyword],
    },
    // Fastify's own compilers, each route's run on its first request instead of all ~720 at ready().
    schemaController: { compilersFactory: schemaCompilers.compilersFactory },
  }).withTypeProvider<TypeBoxTypeProvider>();
  schemaCompilers.attach(app);

  await app.register(securityHeaders, { corsOrigins: deps.corsOrigins ?? [] });
  await app.register(openApi);

  await app.register(requestId);
  await app.register(requestLogIds);
  await app.register(problemDetails);
  await app.register(inputLimits, deps.inputLimits ?? {});

  await app.register(named(healthRoutes), {
    readiness: deps.readiness,
    readinessTimeoutMs: deps.readinessTimeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS,
  });
  if (deps.engine) await registerEngine(app, createEngineContext(deps.engine, app.log), deps.rateLimits);
  if (deps.web) await app.register(named(webApp), deps.web);

  return app;
}

async function registerEngine(app: FastifyInstance, ctx: EngineContext, limits: RateLimits | undefined): Promise<void> {
  const pollMs = ctx.triggerPollMs ?? 500;
  if (pollMs > 0) {
    app.addHook('onReady', async () => ctx.triggers.start(pollMs));
  }
  app.addHook('onClose', async () => ctx.triggers.stop());
  app.addHook('onClose', async () => ctx.compiler.close());
  const credentialChanges = watchCredentialChanges(ctx.authKit, ctx.orm, app.log);
  app.decorate('credentialChanges', credentialChanges);
  app.addHook('onClose', async () => credentialChanges.close());
  app.addHook('onClose', stopDryRuns);
  // In the background: the API answers while the interpreter is bundled for dry runs.
  if (ctx.dryRun?.warm) app.addHook('onReady', async () => warmDryRuns(app.log));
  await app.register(named(rootMetricsRedirect));
  await app.register(
    named(async function apiV1(v1: FastifyInstance) {
      // Before auth: what a request writes, authentication included, is recorded against it.
      await v1.register(auditContext);
      // Before auth: its failed-authentication check must run first, its per-principal count after.
      if (limits) await v1.register(rateLimits, limits);
      // Inside the /api/v1 scope: its onRequest hook guards exactly the routes registered here.
      // Cookies first: the auth hook reads the access cookie, the auth routes the refresh cookie.
      await v1.register(cookie);
      await v1.register(auth, {
        authenticate: (credential) => authenticate(ctx.authKit, ctx.orm, credential),
        accessCookie: ACCESS_COOKIE,
      });
      await v1.register(named(authRoutes), { ctx });
      await v1.register(named(apiKeyRoutes), { ctx });
      await v1.register(named(templateRoutes), { ctx });
      await v1.register(named(templateStudioRoutes), { ctx });
      await v1.register(named(templateDryRunRoutes), { ctx });
      await v1.register(named(instanceRoutes), { ctx });
      await v1.register(named(instanceOperationRoutes), { ctx });
      await v1.register(named(meRoutes), { ctx });
      await v1.register(named(taskRoutes), { ctx });
      await v1.register(named(taskInboxRoutes), { ctx });
      await v1.register(named(taskViewRoutes), { ctx });
      await v1.register(named(outOfOfficeRoutes), { ctx });
      await v1.register(named(crmRoutes), { ctx });
      await v1.register(named(auditRoutes), { ctx });
      await v1.register(named(reportRoutes), { ctx });
      await v1.register(named(linkRoutes), { ctx });
      await v1.register(named(metricsRoutes), { ctx });
      await v1.register(named(webhookRoutes), { ctx });
    }),
    { prefix: '/api/v1' },
  );
}
