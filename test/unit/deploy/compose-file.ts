import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** Reads docker-compose.yml the way `docker compose` does, for assertions on its meaning. */

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const repoPath = (...parts: string[]): string => path.join(repoRoot, ...parts);

export interface Healthcheck {
  test?: string | string[];
  disable?: boolean;
}

export interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  container_name?: string;
  environment?: Record<string, unknown> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: (string | number | { target?: number | string; published?: number | string })[];
  volumes?: (string | { type?: string; source?: string; target?: string })[];
  healthcheck?: Healthcheck;
  restart?: string;
  entrypoint?: string | string[];
  command?: string | string[];
}

export interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  [extension: `x-${string}`]: unknown;
}

export const composeText = readFileSync(repoPath('docker-compose.yml'), 'utf8');
/** With merge keys resolved, as Compose reads it. */
export const compose = parse(composeText, { merge: true }) as ComposeFile;
/** Without merge keys resolved: `<<` stays a key, so sharing through anchors is visible. */
export const composeUnmerged = parse(composeText) as ComposeFile;

export function serviceNamed(name: string): Service {
  const service = compose.services[name];
  if (!service) throw new Error(`docker-compose.yml has no service '${name}'`);
  return service;
}

/** Compose variable interpolation with every variable unset, so defaults apply. */
export function interpolate(text: string, env: Record<string, string> = {}): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match: string, braced?: string, operator?: string, argument?: string, bare?: string) => {
      if (match === '$$') return '$';
      const name = braced ?? bare ?? '';
      const value = env[name];
      const missing = operator?.startsWith(':') ? !value : value === undefined;
      switch (operator?.replace(':', '')) {
        case '-':
          return missing ? (argument ?? '') : (value ?? '');
        case '+':
          return missing ? '' : (argument ?? '');
        case '?':
          if (missing) throw new Error(`required variable ${name}: ${argument}`);
          return value ?? '';
        default:
          return value ?? '';
      }
    },
  );
}

/** The `.env` the README has operators write (ADMIN_API_KEY and AUTH_SECRET are required). */
export const DOT_ENV: Record<string, string> = { ADMIN_API_KEY: 'a'.repeat(64), AUTH_SECRET: 'b'.repeat(64) };

/** The environment a service's containers get, interpolated (with the README's `.env`). */
export function environmentOf(service: Service, env: Record<string, string> = DOT_ENV): Record<string, string> {
  const raw = service.environment ?? {};
  const entries: [string, unknown][] = Array.isArray(raw)
    ? raw.map((line) => {
        const at = line.indexOf('=');
        return at < 0 ? [line, ''] : [line.slice(0, at), line.slice(at + 1)];
      })
    : Object.entries(raw);
  return Object.fromEntries(
    entries.map(([name, value]) => [name, interpolate(value == null ? '' : String(value), env)]),
  );
}

/** depends_on as service -> condition (the short form means service_started). */
export function dependenciesOf(service: Service): Record<string, string> {
  const raw = service.depends_on ?? {};
  if (Array.isArray(raw)) return Object.fromEntries(raw.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(raw).map(([name, spec]) => [name, spec?.condition ?? 'service_started']));
}

export interface PortMapping {
  published: string;
  target: string;
}

export function portsOf(service: Service): PortMapping[] {
  return (service.ports ?? []).map((port) => {
    if (typeof port === 'object') return { published: String(port.published ?? ''), target: String(port.target ?? '') };
    const parts = interpolate(String(port))
      .replace(/\/(tcp|udp)$/, '')
      .split(':');
    const target = parts.at(-1) ?? '';
    return { published: parts.length > 1 ? (parts.at(-2) ?? '') : '', target };
  });
}

export interface Mount {
  type: 'bind' | 'volume';
  source: string;
  target: string;
}

export function mountsOf(service: Service): Mount[] {
  return (service.volumes ?? []).map((volume) => {
    if (typeof volume === 'object') {
      return {
        type: volume.type === 'bind' ? 'bind' : 'volume',
        source: volume.source ?? '',
        target: volume.target ?? '',
      };
    }
    const [source = '', target = ''] = interpolate(volume).split(':');
    const isPath = source.startsWith('.') || source.startsWith('/') || source.startsWith('~');
    return { type: isPath ? 'bind' : 'volume', source, target };
  });
}

export interface ImageReference {
  name: string;
  tag: string | undefined;
  digest: string | undefined;
}

export function parseImage(reference: string): ImageReference {
  const [withoutDigest = '', digest] = reference.split('@');
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon < 0
    ? { name: withoutDigest, tag: undefined, digest }
    : { name: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1), digest };
}

/** Services built from this repository: the app's own image. */
export const appServiceNames = Object.keys(compose.services).filter(
  (name) => compose.services[name]?.build !== undefined,
);

/** Services that others wait for with service_completed_successfully: one-shot jobs. */
export const jobServiceNames = [
  ...new Set(
    Object.values(compose.services).flatMap((service) =>
      Object.entries(dependenciesOf(service))
        .filter(([, condition]) => condition === 'service_completed_successfully')
        .map(([name]) => name),
    ),
  ),
];

export function commandLine(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(' ') : (value ?? '');
}
