import path from 'node:path';

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
  /**
   * `url`: what the API and worker connect as; `migrationUrl`: the owner, for migrations (default
   * `url`). Embedded: the app role's password is generated once into `appPasswordFile`.
   */
  database:
    { url: string; migrationUrl?: string } | { embedded: { port: number; dir: string; appPasswordFile: string } };
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
    dataDir,
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS),
    database: databaseUrl
      ? { url: databaseUrl, ...(migrationUrl ? { migrationUrl } : {}) }
      : {
          embedded: {
            port: port('EMBEDDED_PG_PORT'),
            dir: path.join(dataDir, 'postgres'),
            appPasswordFile: path.join(dataDir, 'postgres-app-password'),
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
    },
    smtp: smtpUrl
      ? { url: smtpUrl }
      : { embedded: { port: port('SMTP_SINK_PORT'), uiPort: port('MAIL_UI_PORT'), dir: path.join(dataDir, 'mail') } },
    mailFrom: raw('MAIL_FROM') ?? '',
    publicUrl: (url('PUBLIC_URL', ['http:', 'https:']) ?? 'http://localhost:3000').replace(/\/+$/, ''),
    demoData: oneOf('DEMO_DATA', ['true', 'false'] as const) === 'true',
    adminApiKey: raw('ADMIN_API_KEY'),
  };
  if (config.adminApiKey !== undefined && config.adminApiKey.length < 24)
    problems.push('ADMIN_API_KEY must be at least 24 characters');
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
