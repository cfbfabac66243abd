import type { Client } from '@temporalio/client';
import type { ActivityContract } from '../dsl/activity-contract';
import type { Orm } from '../db/orm';
import {
  IdempotencyKeyRepository,
  IncidentRepository,
  InstanceRepository,
  TaskRepository,
  TemplateRegistry,
  UserRepository,
} from '../db/repositories';
import { WebhookSubscriptionRepository } from '../db/webhooks';
import { createAuthKit, type AuthKit, type AuthSettings } from './services/authenticator';
import { InputValidator } from './services/input-validator';
import { SignInService } from './services/sign-in';
import { TemplateCompilePool, type CompilePoolOptions } from './services/template-compile/compile-pool';
import { TriggerDispatcher, type TriggerDispatcherDeps } from './services/trigger-dispatcher';

/** What the process API needs beyond HTTP: the database, Temporal and the activity catalog. */
export interface EngineDeps {
  orm: Orm;
  client: Client;
  taskQueue: string;
  /** Base URL of the Temporal Web UI instance pages link to; default the dev server's, http://localhost:8233. */
  temporalUiUrl?: string;
  /** Activities templates may call (the linter checks `call` steps against it). */
  catalog: Record<string, ActivityContract>;
  /** How often pending business events are dispatched to their templates; 0 turns polling off. Default 500 ms. */
  triggerPollMs?: number;
  /** Sign-in, sessions and API keys: the server secret and lifetimes. */
  auth: AuthSettings;
  /** Template compilation's worker threads and budgets; `warm` starts the workers with the app. */
  compile?: Omit<CompilePoolOptions, 'catalog'> & { warm?: boolean };
  /** `warm` bundles the interpreter for dry runs when the app is ready, in the background; else on the first dry run. */
  dryRun?: { warm?: boolean };
  /** The Temporal SDK's Prometheus exporter of the worker in this process, appended to GET /metrics. */
  temporalMetricsUrl?: string;
  /** WEBHOOK_ALLOW_PRIVATE_TARGETS: subscriptions may name loopback and private addresses. */
  webhooks?: { allowPrivateTargets: boolean };
}

/** Stateless repositories and caches shared by the routes of one app. */
export interface EngineContext extends EngineDeps {
  templates: TemplateRegistry;
  instances: InstanceRepository;
  incidents: IncidentRepository;
  tasks: TaskRepository;
  users: UserRepository;
  idempotency: IdempotencyKeyRepository;
  validator: InputValidator;
  /** Starts the templates bound to business events (the trigger outbox). */
  triggers: TriggerDispatcher;
  /** Tokens, sign-in limiter, session and API key repositories. */
  authKit: AuthKit;
  signIn: SignInService;
  /** Compiles templates off the event loop, within a time and memory budget. */
  compiler: TemplateCompilePool;
  webhookSubscriptions: WebhookSubscriptionRepository;
}

export function createEngineContext(deps: EngineDeps, logger?: TriggerDispatcherDeps['logger']): EngineContext {
  const validator = new InputValidator();
  const authKit = createAuthKit(deps.auth);
  // Teams are kept where principals are, on the same notifications of user changes.
  const users = new UserRepository({ teams: authKit.principals });
  const { warm, ...compile } = deps.compile ?? {};
  const compiler = new TemplateCompilePool({ ...compile, catalog: deps.catalog });
  if (warm) compiler.warmUp();
  return {
    ...deps,
    authKit,
    signIn: new SignInService(authKit, deps.orm, users),
    templates: new TemplateRegistry(),
    instances: new InstanceRepository(),
    incidents: new IncidentRepository(),
    tasks: new TaskRepository(),
    users,
    idempotency: new IdempotencyKeyRepository(),
    validator,
    compiler,
    webhookSubscriptions: new WebhookSubscriptionRepository(),
    triggers: new TriggerDispatcher({
      orm: deps.orm,
      client: deps.client,
      taskQueue: deps.taskQueue,
      validator,
      ...(logger ? { logger } : {}),
    }),
  };
}
