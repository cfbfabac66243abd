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
import { assertWorkerPolls, createReadinessChecks } from './readiness-checks';
import { startServices, type Services } from './services';
import { installTemporalRuntime } from './temporal-logging';
import { temporalMetricsEndpoint } from './temporal-metrics';
import { ToolNotFoundError } from './tool-paths';
import { startWorker, type RunningWorker } from './worker';
import { startWorkerHealth } from './worker-health';
import { DataDirInUseError } from './supervision/pid-files';
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
  const sdkMetrics = await temporalMetricsEndpoint(config, logger);
  installTemporalRuntime(logger, sdkMetrics ? { metricsBindAddress: sdkMetrics.bindAddress } : {});
  const stack: { name: string; stop(): Promise<void> }[] = [];
  let stopping = false;
  /** Resolves false when a part failed to stop. */
  const shutdown = async (reason: string): Promise<boolean> => {
    if (stopping) return true;
    stopping = true;
    logger.info(`shutting down (${reason})`);
    // Whatever is down, a process manager's SIGTERM must end this process in 10 s: a part that
    // does not stop in time is left behind (the watchdogs stop the embedded servers once we exit).
    const forced = setTimeout(() => {
      logger.error(`shutdown took longer than ${SHUTDOWN_DEADLINE_MS / 1000} s: exiting now`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    let clean = true;
    for (const part of stack.reverse()) {
      const began = Date.now();
      const outcome = await stopWithin(part.stop(), STOP_STEP_MS[part.name] ?? 2_000);
      logger.debug(`${part.name}: ${typeof outcome === 'string' ? outcome : 'failed'} after ${Date.now() - began} ms`);
      if (outcome === 'stopped') continue;
      // Late is not wrong (a loaded machine, a server that is down): only a failed stop is.
      if (outcome === 'timed out') logger.warn(`${part.name} did not stop within its deadline; going on`);
      else {
        clean = false;
        logger.warn({ err: outcome.error }, `${part.name} did not stop cleanly`);
      }
    }
    clearTimeout(forced);
    logger.info('stopped');
    return clean;
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
      void shutdown(signal).then((clean) => process.exit(clean ? 0 : 1));
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
      if (!config.roles.includes('api') && config.workerHealthPort !== null) {
        const health = await startWorkerHealth(config.host, config.workerHealthPort, {
          ...createReadinessChecks(clients.orm, clients.connection, config.temporal.namespace, {
            taskQueue: config.temporal.taskQueue,
            services: services.states,
          }),
          worker: async () => {
            if (worker.worker.getState() !== 'RUNNING') throw new Error(`worker ${worker.worker.getState()}`);
            await assertWorkerPolls(clients.connection, config.temporal.namespace, config.temporal.taskQueue);
          },
        });
        stack.push({ name: 'worker health', stop: () => health.stop() });
        logger.info(`worker health at ${health.url}/readyz`);
      }
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
      const app = await startApi(config, services, clients, authSecret, logger, web, sdkMetrics?.url);
      stack.push({ name: 'api', stop: () => app.close() });
    }
    printUrls(config, services, logger, web);
  } catch (error) {
    await shutdown('start failed');
    throw error;
  }
}

const SHUTDOWN_DEADLINE_MS = 9_500;
/** How long each part may take to stop; the worker's drain gets most (shutdownGraceTime in worker.ts). */
const STOP_STEP_MS: Record<string, number> = {
  api: 3_000,
  // A delivery cut short keeps its lease and is sent again later: webhooks are at least once anyway.
  'webhook dispatcher': 1_000,
  'worker health': 500,
  worker: 4_000,
  clients: 1_000,
  'embedded services': 4_500,
};

async function stopWithin(stopping: Promise<void>, ms: number): Promise<'stopped' | 'timed out' | { error: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timed out'>((resolve) => {
    timer = setTimeout(() => resolve('timed out'), ms);
  });
  try {
    return await Promise.race([stopping.then(() => 'stopped' as const), timeout]);
  } catch (error) {
    return { error };
  } finally {
    clearTimeout(timer);
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
  services: Services,
  clients: ProcessClients,
  authSecret: string,
  logger: Logger,
  webBuild: WebBuildResult | null,
  temporalMetricsUrl: string | undefined,
): Promise<FastifyInstance> {
  const app = await buildApp({
    logger,
    readiness: createReadinessChecks(clients.orm, clients.connection, config.temporal.namespace, {
      taskQueue: config.temporal.taskQueue,
      services: services.states,
    }),
    inputLimits: config.inputLimits,
    rateLimits: config.rateLimits,
    corsOrigins: config.corsOrigins,
    trustProxy: config.trustProxy,
    engine: {
      orm: clients.orm,
      client: clients.client,
      taskQueue: config.temporal.taskQueue,
      temporalUiUrl: config.temporal.uiUrl,
      ...(temporalMetricsUrl ? { temporalMetricsUrl } : {}),
      catalog: ACTIVITY_CATALOG,
      auth: {
        secret: authSecret,
        accessTokenSeconds: config.accessTokenSeconds,
        principalCacheSeconds: config.principalCacheSeconds,
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
    error instanceof EmbeddedPostgresError ||
    error instanceof DataDirInUseError
  ) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
