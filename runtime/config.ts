import { isIP } from 'node:net';
import path from 'node:path';
import type { InputLimits } from '../api/plugins/input-limits';
import type { RateLimits } from '../api/plugins/rate-limits';

/**
 * Every environment variable the product reads, described once. The README's
 * configuration table is checked against this list by a test, so the two cannot drift.
 */
export interface VariableSpec {
  name: string;
  default: string | undefined;
  description: string;
}

export const VARIABLES = [
  { name: 'PORT', default: '3000', description: 'HTTP port of the API.' },
  {
    name: 'HOST',
    default: '127.0.0.1',
    description: 'Interface the API and the embedded services bind to (`0.0.0.0` in containers).',
  },
  {
    name: 'ROLES',
    default: 'api,worker',
    description: 'What this process runs: `api`, `worker` or both, comma-separated.',
  },
  {
    name: 'DATA_DIR',
    default: './data',
    description:
      'Where the embedded services keep their data (PostgreSQL cluster, Temporal SQLite file, received mail).',
  },
  {
    name: 'LOG_LEVEL',
    default: 'info',
    description: 'pino log level: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`.',
  },
  {
    name: 'DATABASE_URL',
    default: undefined,
    description:
      'PostgreSQL connection URL the API and worker use. Unset: an embedded PostgreSQL 18 is started under `DATA_DIR/postgres` and they connect as the role `crm_app`.',
  },
  {
    name: 'DATABASE_MIGRATION_URL',
    default: undefined,
    description:
      "Connection URL of the database's owner, for migrations (only with `DATABASE_URL`, which should then name the role `crm_app`: its password is set from it). Unset: `DATABASE_URL` is used for both, and the audit trail is append-only only if that role is not the owner.",
  },
  {
    name: 'DATABASE_PREPARED_STATEMENTS',
    default: 'true',
    description:
      '`true`: list pages are read as named prepared statements, which each database connection parses and plans once. `false`: every statement is sent with its values inlined; set it when the database is reached through a pooler that does not keep prepared statements per client (PgBouncer in transaction mode before 1.21, or without `max_prepared_statements`).',
  },
  {
    name: 'EMBEDDED_PG_PORT',
    default: '5433',
    description: 'Port of the embedded PostgreSQL (only when `DATABASE_URL` is unset).',
  },
  {
    name: 'EMBEDDED_PG_SHARED_DIR',
    default: '/var/lib/crm-process-engine',
    description:
      "Only as root: where the embedded PostgreSQL's binaries (per version) and data go when its `postgres` user cannot reach the checkout or `DATA_DIR` (e.g. under a home directory of mode 0700).",
  },
  {
    name: 'TEMPORAL_ADDRESS',
    default: undefined,
    description:
      'host:port of an external Temporal frontend. Unset: `temporal server start-dev` is started with its SQLite file under `DATA_DIR/temporal`.',
  },
  {
    name: 'TEMPORAL_NAMESPACE',
    default: 'default',
    description: 'Temporal namespace; the embedded server creates it.',
  },
  { name: 'TEMPORAL_TASK_QUEUE', default: 'crm-processes', description: 'The one task queue the workers poll.' },
  { name: 'TEMPORAL_PORT', default: '7233', description: 'gRPC port of the embedded Temporal dev server.' },
  { name: 'TEMPORAL_UI_PORT', default: '8233', description: 'Web UI port of the embedded Temporal dev server.' },
  {
    name: 'TEMPORAL_UI_URL',
    default: undefined,
    description:
      "Base URL of the Temporal Web UI the instance page links to. Unset: the embedded dev server's UI (http://localhost:TEMPORAL_UI_PORT).",
  },
  {
    name: 'TEMPORAL_METRICS_PORT',
    default: '9464',
    description:
      "Port (on `HOST`) of the Temporal SDK's Prometheus exporter in a process with the worker role (`/metrics`: task slots, poll and schedule-to-start latency, activity and workflow task failures); `GET /api/v1/metrics` appends its text when the API runs in the same process. `0`: off. Each worker process on one machine needs its own; a port already taken gets a warning and that process exports none.",
  },
  {
    name: 'TEMPORAL_CLI_PATH',
    default: undefined,
    description: 'Path of the `temporal` CLI binary; otherwise `.tools/` and then `PATH` are searched.',
  },
  {
    name: 'TEMPORAL_TEST_SERVER_PATH',
    default: undefined,
    description:
      'Path of the time-skipping test server binary (tests only); otherwise `.tools/` and then `PATH` are searched.',
  },
  {
    name: 'SMTP_URL',
    default: undefined,
    description:
      'SMTP relay URL, e.g. `smtp://user:pass@mail:587`. Unset: an embedded SMTP sink (a supervised child process) stores every message.',
  },
  {
    name: 'SMTP_SINK_PORT',
    default: '1025',
    description: 'SMTP port of the embedded sink (only when `SMTP_URL` is unset).',
  },
  {
    name: 'MAIL_UI_PORT',
    default: '8025',
    description: "HTTP port of the embedded sink's message list (HTML at `/`, JSON at `/api/messages`).",
  },
  {
    name: 'MAIL_FROM',
    default: 'CRM Processes <processes@crm.localhost>',
    description: 'Sender address of every mail.',
  },
  {
    name: 'PUBLIC_URL',
    default: 'http://localhost:3000',
    description: 'Base URL people reach the API at; links in mails (survey invitations, leads, tickets) start with it.',
  },
  {
    name: 'TEMPLATE_COMPILE_TIMEOUT_MS',
    default: '5000',
    description:
      'Time one template compile (draft save, validate, publish) may take in its worker thread before it is stopped and answered with a 422 `limit.compile-budget` diagnostic.',
  },
  {
    name: 'DEMO_DATA',
    default: 'true',
    description:
      '`true`: the demo users (with their well-known API keys and password) are created and an empty CRM gets the demo company (people, customers, products, stock, suppliers, a survey). `false` for a real deployment: neither is created. On a `HOST` other than loopback it must be set explicitly.',
  },
  {
    name: 'ADMIN_API_KEY',
    default: undefined,
    description:
      'Creates (or re-keys) the user `admin` (roles admin, designer) with this API key on start, at least 24 characters: the first key of a deployment with `DEMO_DATA=false`.',
  },
  {
    name: 'ADMIN_PASSWORD',
    default: undefined,
    description:
      'Sets the sign-in password of the user `admin` (e-mail `admin@localhost`) on start, at least 12 characters.',
  },
  {
    name: 'AUTH_SECRET',
    default: undefined,
    description:
      'Server secret (at least 32 characters, e.g. `openssl rand -hex 32`): signs access tokens and keys the stored hashes of API keys and refresh tokens. Unset: one is generated once into `DATA_DIR/auth-secret` (mode 0600). Changing it signs everyone out and invalidates every API key but the demo and `ADMIN_API_KEY` ones.',
  },
  {
    name: 'ACCESS_TOKEN_SECONDS',
    default: '900',
    description: 'Lifetime of a sign-in access token (60-86400 s); the refresh token renews it.',
  },
  {
    name: 'PRINCIPAL_CACHE_SECONDS',
    default: '60',
    description:
      "How long each API process keeps in memory the principal an API key or session stands for, and the team a manager leads (0-3600 s; `0`: read from the database on every request). Kept only while the process hears PostgreSQL's notifications of changes to users, keys and sessions on a LISTEN connection of its own: set `0` when the database is reached through a pooler that does not pass LISTEN on (PgBouncer in transaction mode).",
  },
  {
    name: 'TRUST_PROXY',
    default: undefined,
    description:
      'The reverse proxies in front of the API, whose `X-Forwarded-For` names the client: comma-separated addresses or CIDR ranges (`10.0.0.0/8, 127.0.0.1`). Unset: none; the connecting address is the client (rate limits, sign-in limits and the audit trail use it).',
  },
  {
    name: 'CORS_ORIGINS',
    default: undefined,
    description:
      'Comma-separated origins browsers may call the API from (`https://crm.example.com`). Unset: none, same origin only.',
  },
  {
    name: 'RATE_LIMIT_PER_MINUTE',
    default: '1200',
    description:
      'Requests a minute per user or API key (per IP on public routes); then 429 with Retry-After. `0`: off.',
  },
  {
    name: 'RATE_LIMIT_AUTH_FAILURES_PER_MINUTE',
    default: '30',
    description:
      'Failed authentications (unknown, expired or revoked keys and tokens) a minute per IP, after which that IP gets 429 until the minute is over. `0`: off.',
  },
  {
    name: 'RATE_LIMIT_EVENTS_PER_RECORD_PER_MINUTE',
    default: '30',
    description:
      'Events a minute one instance or order takes (`POST /instances/:id/events`, `/orders/:id/events`, `/orders/:id/delivery-confirmation`). `0`: off.',
  },
  {
    name: 'WORKER_HEALTH_PORT',
    default: undefined,
    description:
      'Port of `/healthz` and `/readyz` of a process without the API (`ROLES=worker`), on `HOST`. Unset: none (several workers on one machine would collide on a default).',
  },
  {
    name: 'JSON_INPUT_MAX_BYTES',
    default: '16384',
    description: 'Size of each free-form JSON value a request carries (instance input, event payload, task form).',
  },
  {
    name: 'JSON_INPUT_MAX_DEPTH',
    default: '32',
    description: 'Nesting depth of each free-form JSON value a request carries.',
  },
  {
    name: 'BODY_MAX_BYTES',
    default: '262144',
    description: 'Size of a JSON request body (a template YAML body may be as long as its own limit); larger is a 413.',
  },
  {
    name: 'WEBHOOK_ALLOW_PRIVATE_TARGETS',
    default: 'false',
    description:
      '`true` lets webhook subscriptions point at loopback, private and reserved addresses (tests, receivers on an internal network). `false`: such URLs are refused when saved and, after a name lookup, when sent.',
  },
  {
    name: 'WEBHOOK_DISABLE_AFTER_DAYS',
    default: '3',
    description:
      'A webhook subscription whose deliveries have all failed for this many days is disabled (with `disabledReason`) until an administrator re-enables it.',
  },
] as const satisfies readonly VariableSpec[];

type VariableName = (typeof VARIABLES)[number]['name'];
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const ROLE_NAMES = ['api', 'worker'] as const;
export type Role = (typeof ROLE_NAMES)[number];

export interface Config {
  host: string;
  port: number;
  roles: Role[];
  /** WORKER_HEALTH_PORT: the health endpoint of a worker-only process; null: none. */
  workerHealthPort: number | null;
  dataDir: string;
  logLevel: (typeof LOG_LEVELS)[number];
  /**
   * `url`: what the API and worker connect as; `migrationUrl`: the owner, for migrations (default
   * `url`). Embedded: the app role's password is generated once into `appPasswordFile`.
   */
  database:
    | { url: string; migrationUrl?: string }
    | { embedded: { port: number; dir: string; appPasswordFile: string; sharedDir: string } };
  /** DATABASE_PREPARED_STATEMENTS: list pages as named prepared statements (db/repositories/prepared-read.ts). */
  databasePreparedStatements: boolean;
  temporal: {
    namespace: string;
    taskQueue: string;
    server: { address: string } | { embedded: { port: number; uiPort: number; dbFile: string } };
    cliPath: string | undefined;
    testServerPath: string | undefined;
    /** Where people open an instance's workflow in the Temporal Web UI. */
    uiUrl: string;
    /** The SDK's Prometheus exporter port of a worker process; 0: off. */
    metricsPort: number;
  };
  smtp: { url: string } | { embedded: { port: number; uiPort: number; dir: string } };
  mailFrom: string;
  publicUrl: string;
  templateCompileTimeoutMs: number;
  demoData: boolean;
  /** Whether DEMO_DATA was set in the environment rather than defaulted (required on a non-loopback HOST). */
  demoDataExplicit: boolean;
  adminApiKey: string | undefined;
  adminPassword: string | undefined;
  /** AUTH_SECRET; unset: runtime/auth-secret.ts generates and keeps one under DATA_DIR. */
  authSecret: string | undefined;
  accessTokenSeconds: number;
  /** PRINCIPAL_CACHE_SECONDS: how long a principal is kept in memory (0: never). */
  principalCacheSeconds: number;
  /** Fastify's `trustProxy`: the proxies' addresses and ranges, or false. */
  trustProxy: string | false;
  corsOrigins: string[];
  rateLimits: RateLimits;
  inputLimits: InputLimits;
  webhooks: { allowPrivateTargets: boolean; disableAfterDays: number };
}

const LOOPBACK_HOSTS = ['127.0.0.1', '::1', 'localhost'];
export const MIN_AUTH_SECRET_LENGTH = 32;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration; reports every bad variable at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const raw = (name: VariableName): string | undefined => {
    const value = env[name]?.trim();
    if (value) return value;
    return VARIABLES.find((v) => v.name === name)?.default;
  };
  const port = (name: VariableName): number => {
    const text = raw(name) ?? '';
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1 || value > 65535) {
      problems.push(`${name}=${JSON.stringify(text)} is not a port number (1-65535)`);
      return 0;
    }
    return value;
  };
  const count = (name: VariableName, min: number): number => {
    const text = raw(name) ?? '';
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < min) {
      problems.push(`${name}=${JSON.stringify(text)} must be a whole number, at least ${min}`);
      return min;
    }
    return value;
  };
  const milliseconds = (name: VariableName): number => {
    const text = raw(name) ?? '';
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) {
      problems.push(`${name}=${JSON.stringify(text)} is not a positive number of milliseconds`);
      return 0;
    }
    return value;
  };
  const url = (name: VariableName, protocols: string[]): string | undefined => {
    const text = raw(name);
    if (text === undefined) return undefined;
    try {
      const parsed = new URL(text);
      if (!protocols.includes(parsed.protocol)) {
        problems.push(`${name} must use ${protocols.join(' or ')}, got ${parsed.protocol}`);
      }
    } catch {
      problems.push(`${name}=${JSON.stringify(text)} is not a URL`);
    }
    return text;
  };
  const oneOf = <T extends string>(name: VariableName, allowed: readonly T[]): T => {
    const text = raw(name) ?? '';
    if (!(allowed as readonly string[]).includes(text)) {
      problems.push(`${name}=${JSON.stringify(text)} must be one of ${allowed.join(', ')}`);
      return allowed[0] as T;
    }
    return text as T;
  };

  const dataDir = path.resolve(cwd, raw('DATA_DIR') ?? 'data');
  const roles = (raw('ROLES') ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const badRoles = roles.filter((r) => !(ROLE_NAMES as readonly string[]).includes(r));
  if (roles.length === 0 || badRoles.length > 0) {
    problems.push(`ROLES=${JSON.stringify(raw('ROLES'))} must list api and/or worker`);
  }
  const databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const migrationUrl = url('DATABASE_MIGRATION_URL', ['postgres:', 'postgresql:']);
  if (migrationUrl !== undefined && databaseUrl === undefined)
    problems.push('DATABASE_MIGRATION_URL needs DATABASE_URL (the embedded PostgreSQL has its own roles)');
  const temporalAddress = raw('TEMPORAL_ADDRESS');
  if (temporalAddress !== undefined && !/^[^\s:/]+:\d{1,5}$/.test(temporalAddress)) {
    problems.push(`TEMPORAL_ADDRESS=${JSON.stringify(temporalAddress)} must be host:port`);
  }
  const smtpUrl = url('SMTP_URL', ['smtp:', 'smtps:']);

  const config: Config = {
    host: raw('HOST') ?? '127.0.0.1',
    port: port('PORT'),
    roles: roles as Role[],
    workerHealthPort: raw('WORKER_HEALTH_PORT') === undefined ? null : port('WORKER_HEALTH_PORT'),
    dataDir,
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS),
    databasePreparedStatements: oneOf('DATABASE_PREPARED_STATEMENTS', ['true', 'false'] as const) === 'true',
    database: databaseUrl
      ? { url: databaseUrl, ...(migrationUrl ? { migrationUrl } : {}) }
      : {
          embedded: {
            port: port('EMBEDDED_PG_PORT'),
            dir: path.join(dataDir, 'postgres'),
            appPasswordFile: path.join(dataDir, 'postgres-app-password'),
            sharedDir: path.resolve(cwd, raw('EMBEDDED_PG_SHARED_DIR') ?? '/var/lib/crm-process-engine'),
          },
        },
    temporal: {
      namespace: raw('TEMPORAL_NAMESPACE') ?? 'default',
      taskQueue: raw('TEMPORAL_TASK_QUEUE') ?? 'crm-processes',
      server: temporalAddress
        ? { address: temporalAddress }
        : {
            embedded: {
              port: port('TEMPORAL_PORT'),
              uiPort: port('TEMPORAL_UI_PORT'),
              dbFile: path.join(dataDir, 'temporal', 'temporal.db'),
            },
          },
      cliPath: raw('TEMPORAL_CLI_PATH'),
      testServerPath: raw('TEMPORAL_TEST_SERVER_PATH'),
      uiUrl: (raw('TEMPORAL_UI_URL') ?? `http://localhost:${port('TEMPORAL_UI_PORT')}`).replace(/\/+$/, ''),
      metricsPort: raw('TEMPORAL_METRICS_PORT') === '0' ? 0 : port('TEMPORAL_METRICS_PORT'),
    },
    smtp: smtpUrl
      ? { url: smtpUrl }
      : { embedded: { port: port('SMTP_SINK_PORT'), uiPort: port('MAIL_UI_PORT'), dir: path.join(dataDir, 'mail') } },
    mailFrom: raw('MAIL_FROM') ?? '',
    publicUrl: (url('PUBLIC_URL', ['http:', 'https:']) ?? 'http://localhost:3000').replace(/\/+$/, ''),
    templateCompileTimeoutMs: milliseconds('TEMPLATE_COMPILE_TIMEOUT_MS'),
    demoData: oneOf('DEMO_DATA', ['true', 'false'] as const) === 'true',
    demoDataExplicit: Boolean(env.DEMO_DATA?.trim()),
    adminApiKey: raw('ADMIN_API_KEY'),
    adminPassword: env.ADMIN_PASSWORD || undefined,
    authSecret: raw('AUTH_SECRET'),
    accessTokenSeconds: Number(raw('ACCESS_TOKEN_SECONDS')),
    principalCacheSeconds: count('PRINCIPAL_CACHE_SECONDS', 0),
    trustProxy: trustedProxies(raw('TRUST_PROXY'), problems),
    corsOrigins: corsOrigins(raw('CORS_ORIGINS'), problems),
    rateLimits: {
      perPrincipalPerMinute: count('RATE_LIMIT_PER_MINUTE', 0),
      authFailuresPerIpPerMinute: count('RATE_LIMIT_AUTH_FAILURES_PER_MINUTE', 0),
      eventsPerRecordPerMinute: count('RATE_LIMIT_EVENTS_PER_RECORD_PER_MINUTE', 0),
    },
    inputLimits: {
      jsonMaxBytes: count('JSON_INPUT_MAX_BYTES', 64),
      jsonMaxDepth: count('JSON_INPUT_MAX_DEPTH', 1),
      bodyMaxBytes: count('BODY_MAX_BYTES', 1024),
    },
    webhooks: {
      allowPrivateTargets: oneOf('WEBHOOK_ALLOW_PRIVATE_TARGETS', ['true', 'false'] as const) === 'true',
      disableAfterDays: count('WEBHOOK_DISABLE_AFTER_DAYS', 1),
    },
  };
  if (config.adminApiKey !== undefined && config.adminApiKey.length < 24)
    problems.push('ADMIN_API_KEY must be at least 24 characters');
  if (config.adminPassword !== undefined && config.adminPassword.length < 12)
    problems.push('ADMIN_PASSWORD must be at least 12 characters');
  if (config.authSecret !== undefined && config.authSecret.length < MIN_AUTH_SECRET_LENGTH)
    problems.push(`AUTH_SECRET must be at least ${MIN_AUTH_SECRET_LENGTH} characters (e.g. \`openssl rand -hex 32\`)`);
  if (
    !Number.isInteger(config.accessTokenSeconds) ||
    config.accessTokenSeconds < 60 ||
    config.accessTokenSeconds > 86400
  )
    problems.push(
      `ACCESS_TOKEN_SECONDS=${JSON.stringify(raw('ACCESS_TOKEN_SECONDS'))} must be a whole number of seconds, 60-86400`,
    );
  if (config.principalCacheSeconds > 3600)
    problems.push(
      `PRINCIPAL_CACHE_SECONDS=${JSON.stringify(raw('PRINCIPAL_CACHE_SECONDS'))} must be a whole number of seconds, 0-3600`,
    );
  // The demo people's keys and password are public: on an address others can reach, running
  // them must be a decision, not a default.
  if (!config.demoDataExplicit && !LOOPBACK_HOSTS.includes(config.host))
    problems.push(
      `HOST=${config.host} is reachable from other machines: set DEMO_DATA explicitly (false for real use; true only for a demo, whose accounts and keys are public)`,
    );
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

// Addresses or CIDR ranges only (never "true"): trusting every sender would let any client write
// the IP that rate limits and the audit trail record.
function trustedProxies(text: string | undefined, problems: string[]): string | false {
  if (text === undefined) return false;
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const bad = entries.filter((entry) => {
    const [address, bits, ...rest] = entry.split('/');
    const version = isIP(address ?? '');
    if (version === 0 || rest.length > 0) return true;
    return bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128));
  });
  if (entries.length === 0 || bad.length > 0) {
    problems.push(`TRUST_PROXY=${JSON.stringify(text)} must be addresses or CIDR ranges, comma-separated`);
    return false;
  }
  return entries.join(',');
}

// An origin is scheme://host[:port] exactly as browsers send it: a path or a trailing slash never matches.
function corsOrigins(text: string | undefined, problems: string[]): string[] {
  const origins = (text ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== origin) {
      problems.push(`CORS_ORIGINS: ${JSON.stringify(origin)} is not an origin like https://crm.example.com`);
    }
  }
  return origins;
}
