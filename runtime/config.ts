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
    description: 'PostgreSQL connection URL. Unset: an embedded PostgreSQL 18 is started under `DATA_DIR/postgres`.',
  },
  {
    name: 'EMBEDDED_PG_PORT',
    default: '5433',
    description: 'Port of the embedded PostgreSQL (only when `DATABASE_URL` is unset).',
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
      'SMTP relay URL, e.g. `smtp://user:pass@mail:587`. Unset: an in-process SMTP sink stores every message.',
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
    name: 'DEMO_DATA',
    default: 'true',
    description:
      '`true`: the demo users (with their well-known API keys) are created and an empty CRM gets the demo company (people, customers, products, stock, suppliers, a survey). `false` for a real deployment: neither is created.',
  },
  {
    name: 'ADMIN_API_KEY',
    default: undefined,
    description:
      'Creates (or re-keys) the user `admin` (roles admin, designer) with this API key on start, at least 24 characters: the first key of a deployment with `DEMO_DATA=false`.',
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
] as const satisfies readonly VariableSpec[];

type VariableName = (typeof VARIABLES)[number]['name'];
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const ROLE_NAMES = ['api', 'worker'] as const;
export type Role = (typeof ROLE_NAMES)[number];

export interface Config {
  host: string;
  port: number;
  roles: Role[];
  dataDir: string;
  logLevel: (typeof LOG_LEVELS)[number];
  database: { url: string } | { embedded: { port: number; dir: string } };
  temporal: {
    namespace: string;
    taskQueue: string;
    server: { address: string } | { embedded: { port: number; uiPort: number; dbFile: string } };
    cliPath: string | undefined;
    testServerPath: string | undefined;
  };
  smtp: { url: string } | { embedded: { port: number; uiPort: number; dir: string } };
  mailFrom: string;
  publicUrl: string;
  demoData: boolean;
  adminApiKey: string | undefined;
  corsOrigins: string[];
  rateLimits: RateLimits;
  inputLimits: InputLimits;
}

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
  const temporalAddress = raw('TEMPORAL_ADDRESS');
  if (temporalAddress !== undefined && !/^[^\s:/]+:\d{1,5}$/.test(temporalAddress)) {
    problems.push(`TEMPORAL_ADDRESS=${JSON.stringify(temporalAddress)} must be host:port`);
  }
  const smtpUrl = url('SMTP_URL', ['smtp:', 'smtps:']);

  const config: Config = {
    host: raw('HOST') ?? '127.0.0.1',
    port: port('PORT'),
    roles: roles as Role[],
    dataDir,
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS),
    database: databaseUrl
      ? { url: databaseUrl }
      : { embedded: { port: port('EMBEDDED_PG_PORT'), dir: path.join(dataDir, 'postgres') } },
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
    },
    smtp: smtpUrl
      ? { url: smtpUrl }
      : { embedded: { port: port('SMTP_SINK_PORT'), uiPort: port('MAIL_UI_PORT'), dir: path.join(dataDir, 'mail') } },
    mailFrom: raw('MAIL_FROM') ?? '',
    publicUrl: (url('PUBLIC_URL', ['http:', 'https:']) ?? 'http://localhost:3000').replace(/\/+$/, ''),
    demoData: oneOf('DEMO_DATA', ['true', 'false'] as const) === 'true',
    adminApiKey: raw('ADMIN_API_KEY'),
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
  };
  if (config.adminApiKey !== undefined && config.adminApiKey.length < 24)
    problems.push('ADMIN_API_KEY must be at least 24 characters');
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
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
