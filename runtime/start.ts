import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { ACTIVITY_CATALOG } from '../activities';
import { buildApp } from '../api/app';
import { WebhookDispatcher } from '../api/services/webhook-dispatcher';
import { seedDemoCompany } from '../db/seed/demo-company';
import { seedAdminUser, seedEngineUsers } from '../db/seed/engine-users';
import { resolveAuthSecret } from './auth-secret';
import { BuiltinTemplateError, publishBuiltinTemplates } from './builtin-templates';
import { ConfigError, loadConfig, type Config } from './config';
import { PortInUseError, assertPortFree } from './port-check';
import { EmbeddedPostgresError } from './postgres-placement';
import { createLogger, openClients, type ProcessClients } from './process-runtime';
import { createReadinessChecks } from './readiness-checks';
import { startServices, type Services } from './services';
import { installTemporalRuntime } from './temporal-logging';
import { ToolNotFoundError } from './tool-paths';
import { startWorker, type RunningWorker } from './worker';
import { bundleWorkflows } from '../simulator/workflow-bundle';
import { ensureWebBuild, WEB_DIST, type WebBuildResult } from './web-build';

/**
 * `npm start`: the embedded servers the configuration does not point elsewhere, then the
 * worker and the API (as ROLES says), then the URLs. SIGINT/SIGTERM drain the worker, close
 * the API and stop every child server; a second signal forces the exit.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  installTemporalRuntime(logger);
  const stack: { name: string; stop(): Promise<void> }[] = [];
  let stopping = false;
  const shutdown = async (reason: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info(`shutting down (${reason})`);
    for (const part of stack.reverse()) {
      try {
        await part.stop();
      } catch (error) {
        logger.warn({ err: error }, `${part.name} did not stop cleanly`);
      }
    }
    logger.info('stopped');
  };
  // Only our handlers may decide when to exit: a library's exit hook on SIGINT/SIGTERM would cut
  // the worker's drain short; we stop PostgreSQL ourselves, last. `npm start` runs
  // `node --import tsx`, not the tsx CLI: the CLI is a parent process that relays a signal and SIGKILLs its child (exit 130, children
  // orphaned) unless the child acknowledges within 30 ms, which a loaded machine misses. Should
  // this run under the tsx CLI anyway, its hidden listener survives the loop below (tsx hides it
  // from `process.listeners`, and only the listeners that call returns are removed).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal)) process.removeListener(signal, listener);
  }
  let firstSignalAt = 0;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      // Ctrl-C reaches us twice, from the terminal and relayed by tsx: only a later one forces.
      if (stopping && Date.now() - firstSignalAt > 2_000) {
        logger.warn(`${signal} again: exiting now`);
        process.exit(1);
      }
      if (stopping) return;
      firstSignalAt = Date.now();
      void shutdown(signal).then(() => process.exit(0));
    });
  }

  try {
    if (config.roles.includes('api')) await assertPortFree(config.port, config.host, 'PORT');
    // Built while the embedded servers start; the API waits for it only at the end.
    const webBuild: Promise<WebBuildResult> | null = config.roles.includes('api')
      ? ensureWebBuild({ info: (m) => logger.info(m), warn: (m) => logger.warn(m) }).catch(
          (error: unknown): WebBuildResult => {
            logger.warn({ err: error }, 'web app not built');
            return { status: 'failed', reason: error instanceof Error ? error.message : String(error), served: false };
          },
        )
      : null;
    const services = await startServices(config, logger);
    stack.push({ name: 'embedded services', stop: () => services.stop() });
    const clients = await openClients(config, services, logger);
    stack.push({ name: 'clients', stop: () => clients.close() });
    // Only the API authenticates; a worker-only process leaves keys alone (its DATA_DIR may hold another secret).
    const authSecret = config.roles.includes('api') ? await resolveAuthSecret(config) : null;
    await prepareEngineData(clients, config, authSecret, logger);
    if (config.roles.includes('worker')) {
      // Links in mails are signed with the API's secret: a worker-only process signs only with AUTH_SECRET.
      const linkSecret = authSecret ?? config.authSecret;
      if (linkSecret === undefined)
        logger.warn('AUTH_SECRET is not set for this worker: mails carry no signed links (README, "Links in mails")');
      const worker = await startProcessWorker(config, services, clients, linkSecret, logger);
      stack.push({ name: 'worker', stop: () => worker.stop() });
      worker.done.catch((error: unknown) => {
        logger.fatal({ err: error }, 'worker failed');
        void shutdown('worker failure').then(() => process.exit(1));
      });
      const webhooks = new WebhookDispatcher({
        orm: clients.orm,
        logger,
        allowInternalTargets: config.webhooks.allowPrivateTargets,
        disableAfterDays: config.webhooks.disableAfterDays,
      });
      webhooks.start();
      stack.push({ name: 'webhook dispatcher', stop: () => webhooks.stop() });
    }
    const web = await webBuild;
    if (authSecret !== null) {
      const app = await startApi(config, clients, authSecret, logger, web);
      stack.push({ name: 'api', stop: () => app.close() });
    }
    printUrls(config, services, logger, web);
  } catch (error) {
    await shutdown('start failed');
    throw error;
  }
}

/**
 * Demo users (with their API keys and password) and the demo company unless DEMO_DATA=false, the
 * ADMIN_API_KEY / ADMIN_PASSWORD user, and the built-in templates; all idempotent on every start.
 */
async function prepareEngineData(
  clients: ProcessClients,
  config: Config,
  authSecret: string | null,
  logger: Logger,
): Promise<void> {
  const em = clients.orm.em.fork();
  if (config.demoData) {
    logger.warn(
      'DEMO_DATA is on: the demo accounts are active with their well-known API keys and password (README, "Signing in and API keys"). Never use this deployment for real data; set DEMO_DATA=false.',
    );
    const { created } = await seedEngineUsers(em, authSecret);
    if (created.length > 0) logger.info({ created }, 'demo users created');
    const demo = await seedDemoCompany(em);
    logger.info(
      demo.loaded
        ? `demo company loaded: ${demo.customers} customers, ${demo.products} products, ${demo.leads} leads, ${demo.warehouses} warehouses, ${demo.suppliers} suppliers`
        : 'demo company: already present',
    );
  }
  if (authSecret !== null && (config.adminApiKey || config.adminPassword)) {
    await seedAdminUser(em, authSecret, { apiKey: config.adminApiKey, password: config.adminPassword });
    logger.info(
      `user admin has ${[config.adminApiKey ? 'the key from ADMIN_API_KEY' : null, config.adminPassword ? 'the password from ADMIN_PASSWORD' : null].filter(Boolean).join(' and ')}`,
    );
  }
  // Without the demo people the roles the templates name may have no holders yet: their tasks wait
  // in those roles' queues until users with them are created, so roles are not checked then.
  await publishBuiltinTemplates(em, ACTIVITY_CATALOG, logger, undefined, { checkRoles: config.demoData });
}

async function startProcessWorker(
  config: Config,
  services: Services,
  clients: ProcessClients,
  linkSecret: string | undefined,
  logger: Logger,
): Promise<RunningWorker> {
  const workflowBundle = await bundleWorkflows();
  return startWorker({
    address: services.temporalAddress,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowBundle,
    deps: {
      orm: clients.orm,
      mailer: clients.mailer,
      mailFrom: config.mailFrom,
      publicUrl: config.publicUrl,
      ...(linkSecret === undefined ? {} : { linkSecret }),
      logger,
    },
  });
}

async function startApi(
  config: Config,
  clients: ProcessClients,
  authSecret: string,
  logger: Logger,
  webBuild: WebBuildResult | null,
): Promise<FastifyInstance> {
  const app = await buildApp({
    logger,
    readiness: createReadinessChecks(clients.orm, clients.connection, config.temporal.namespace),
    inputLimits: config.inputLimits,
    rateLimits: config.rateLimits,
    corsOrigins: config.corsOrigins,
    trustProxy: config.trustProxy,
    engine: {
      orm: clients.orm,
      client: clients.client,
      taskQueue: config.temporal.taskQueue,
      temporalUiUrl: config.temporal.uiUrl,
      catalog: ACTIVITY_CATALOG,
      auth: {
        secret: authSecret,
        accessTokenSeconds: config.accessTokenSeconds,
        secureCookies: config.publicUrl.startsWith('https:'),
      },
      compile: { timeoutMs: config.templateCompileTimeoutMs, warm: true },
      dryRun: { warm: true },
      webhooks: { allowPrivateTargets: config.webhooks.allowPrivateTargets },
    },
    web: {
      root: WEB_DIST,
      ...(webBuild?.status === 'failed' ? { unavailableReason: webBuild.reason.split('\n')[0] } : {}),
    },
  });
  await app.listen({ port: config.port, host: config.host });
  return app;
}

function printUrls(config: Config, services: Services, logger: Logger, web: WebBuildResult | null): void {
  const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
  const lines = [
    config.roles.includes('api')
      ? `Web app        http://${host}:${config.port}/  ${
          web?.status === 'failed'
            ? web.served
              ? '(the PREVIOUS build: the new one failed, see the log above)'
              : '(NOT BUILT: see the log above; `npm run web:build`)'
            : '(sign in as a demo user, README "Signing in and API keys")'
        }`
      : null,
    config.roles.includes('api')
      ? `API            http://${host}:${config.port}/api/v1  (docs: /docs, health: /healthz, /readyz)`
      : null,
    services.temporalUiUrl
      ? `Temporal UI    ${services.temporalUiUrl}`
      : `Temporal       ${services.temporalAddress} (external)`,
    services.mailUiUrl ? `Mail sink      ${services.mailUiUrl}` : 'Mail           SMTP_URL (external relay)',
    'url' in config.database
      ? 'PostgreSQL     DATABASE_URL (external)'
      : `PostgreSQL     ${services.databaseUrl.replace(/:[^:@/]+@/, ':***@')}`,
    `Data           ${config.dataDir}`,
    // The keys themselves are not printed: a start log is copied around more than a README.
    config.demoData ? 'Demo accounts  ACTIVE (public keys and password): README.md, "Signing in and API keys"' : null,
    config.adminApiKey ? 'Admin          user admin, API key from ADMIN_API_KEY' : null,
    config.adminPassword ? 'Admin sign-in  admin@localhost, password from ADMIN_PASSWORD' : null,
  ].filter(Boolean);
  logger.info('ready');
  process.stdout.write(`\nCRM process engine is running (Ctrl-C to stop):\n  ${lines.join('\n  ')}\n\n`);
}

main().catch((error: unknown) => {
  // Errors a user can fix get one line, not a stack trace.
  if (
    error instanceof ConfigError ||
    error instanceof PortInUseError ||
    error instanceof ToolNotFoundError ||
    error instanceof BuiltinTemplateError ||
    error instanceof EmbeddedPostgresError
  ) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
