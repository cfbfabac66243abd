import { describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { VARIABLES, loadConfig } from '../../../runtime/config';
import {
  appServiceNames,
  commandLine,
  compose,
  composeUnmerged,
  dependenciesOf,
  environmentOf,
  interpolate,
  jobServiceNames,
  mountsOf,
  parseImage,
  portsOf,
  repoPath,
  repoRoot,
  serviceNamed,
} from './compose-file';

const REQUIRED_SERVICES = ['postgresql', 'temporal', 'temporal-ui', 'mailpit', 'api', 'worker'];
const APP_ROLES = { api: 'api', worker: 'worker' } as const;
const BACKING_SERVICES = ['postgresql', 'temporal', 'mailpit'];
const serviceNames = Object.keys(compose.services);

describe('docker-compose.yml services', () => {
  test('defines postgresql, temporal, temporal-ui, mailpit, api and worker', () => {
    expect(REQUIRED_SERVICES.filter((name) => !serviceNames.includes(name))).toEqual([]);
  });

  test('pins a versioned tag (not latest) on every image it does not build', () => {
    const problems = serviceNames
      .filter((name) => !appServiceNames.includes(name))
      .flatMap((name) => {
        const image = serviceNamed(name).image;
        if (!image) return [`${name}: no image`];
        const { tag, digest } = parseImage(image);
        if (digest) return [];
        if (!tag) return [`${name}: ${image} has no tag`];
        if (tag === 'latest' || !/\d+\.\d+/.test(tag))
          return [`${name}: ${image} is a moving tag, pin major.minor[.patch]`];
        return [];
      });
    expect(problems).toEqual([]);
  });

  test('runs Temporal admin-tools of the same version as the server, so the schema matches it', () => {
    const versions = serviceNames
      .map((name) => parseImage(serviceNamed(name).image ?? ''))
      .filter(({ name }) => name === 'temporalio/server' || name === 'temporalio/admin-tools')
      .map(({ name, tag }) => `${name}:${tag}`);
    expect(versions.some((image) => image.startsWith('temporalio/server:'))).toBe(true);
    const distinct = new Set(versions.map((image) => image.split(':')[1])).size;
    expect({ versions, distinct }).toEqual({ versions, distinct: 1 });
  });

  test('gives every long-running service a healthcheck; one-shot jobs are not restarted forever', () => {
    const problems = serviceNames.flatMap((name) => {
      const service = serviceNamed(name);
      if (jobServiceNames.includes(name)) {
        return service.restart === 'always' || service.restart === 'unless-stopped'
          ? [`${name}: a one-shot job with restart: ${service.restart}`]
          : [];
      }
      const check = service.healthcheck;
      if (!check || check.disable || commandLine(check.test).trim() === '' || commandLine(check.test) === 'NONE') {
        return [`${name}: no healthcheck`];
      }
      return [];
    });
    expect(problems).toEqual([]);
  });

  test('builds api and worker from this repository into one image', () => {
    for (const name of Object.keys(APP_ROLES)) {
      const { build, image } = serviceNamed(name);
      expect({ name, build: build === undefined ? 'missing' : 'present' }).toEqual({ name, build: 'present' });
      const context = typeof build === 'string' ? build : (build?.context ?? '.');
      const dockerfile = typeof build === 'object' ? (build.dockerfile ?? 'Dockerfile') : 'Dockerfile';
      expect({ name, context: path.resolve(repoRoot, context) }).toEqual({ name, context: path.resolve(repoRoot) });
      expect({ name, dockerfile, exists: existsSync(path.resolve(repoRoot, context, dockerfile)) }).toEqual({
        name,
        dockerfile,
        exists: true,
      });
      expect(image).toBe(serviceNamed('api').image);
    }
  });

  test('runs api with ROLES=api and worker with ROLES=worker', () => {
    for (const [name, role] of Object.entries(APP_ROLES)) {
      expect({ name, ROLES: environmentOf(serviceNamed(name)).ROLES }).toEqual({ name, ROLES: role });
    }
  });

  test('leaves worker free to scale: no container_name and no host ports', () => {
    const worker = serviceNamed('worker');
    expect({ container_name: worker.container_name, ports: worker.ports }).toEqual({
      container_name: undefined,
      ports: undefined,
    });
  });
});

describe('docker-compose.yml app environment', () => {
  const knownVariables: string[] = VARIABLES.map((variable) => variable.name);

  test.each(Object.keys(APP_ROLES))(
    '%s points DATABASE_URL, TEMPORAL_ADDRESS and SMTP_URL at the compose services',
    (name) => {
      const env = environmentOf(serviceNamed(name));
      for (const variable of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'SMTP_URL']) {
        expect({ variable, set: Boolean(env[variable]) }).toEqual({ variable, set: true });
      }
      const database = new URL(env.DATABASE_URL ?? '');
      const smtp = new URL(env.SMTP_URL ?? '');
      expect({ protocol: database.protocol, host: database.hostname }).toEqual({
        protocol: expect.stringMatching(/^postgres(ql)?:$/),
        host: 'postgresql',
      });
      expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
      expect({ protocol: smtp.protocol, host: smtp.hostname, port: smtp.port }).toEqual({
        protocol: 'smtp:',
        host: 'mailpit',
        port: '1025',
      });
    },
  );

  test.each(appServiceNames)('%s sets only variables listed in runtime/config.ts VARIABLES', (name) => {
    const unknown = Object.keys(environmentOf(serviceNamed(name))).filter(
      (variable) => !knownVariables.includes(variable),
    );
    expect(unknown).toEqual([]);
  });

  test.each(Object.entries(APP_ROLES))(
    '%s environment passes loadConfig and uses no embedded service',
    (name, role) => {
      const config = loadConfig(environmentOf(serviceNamed(name)), '/app');
      expect(config.roles).toEqual([role]);
      expect(config.host).toBe('0.0.0.0');
      expect({
        database: 'url' in config.database,
        temporal: 'address' in config.temporal.server,
        smtp: 'url' in config.smtp,
      }).toEqual({ database: true, temporal: true, smtp: true });
    },
  );

  test('writes the shared app environment once (x-app-env merged into api and worker)', () => {
    const shared = composeUnmerged['x-app-env'];
    expect(shared).toEqual(expect.objectContaining({ DATABASE_URL: expect.any(String) }));
    for (const name of Object.keys(APP_ROLES)) {
      const environment = composeUnmerged.services[name]?.environment as Record<string, unknown> | undefined;
      expect({ name, merged: environment?.['<<'] }).toEqual({ name, merged: shared });
    }
  });

  test('runs api and worker as crm_app on the database the postgresql service creates; only migrate holds the owner', () => {
    const postgres = environmentOf(serviceNamed('postgresql'));
    const owner = { user: postgres.POSTGRES_USER, password: postgres.POSTGRES_PASSWORD };
    const credentialsOf = (url: string | undefined) => {
      const parsed = new URL(url ?? '');
      return {
        user: decodeURIComponent(parsed.username),
        password: decodeURIComponent(parsed.password),
        db: parsed.pathname.slice(1),
      };
    };
    const db = postgres.POSTGRES_DB || postgres.POSTGRES_USER;
    for (const name of [...Object.keys(APP_ROLES), 'migrate']) {
      const { user, password, db: database } = credentialsOf(environmentOf(serviceNamed(name)).DATABASE_URL);
      expect({ name, user, database, ownersPassword: password === owner.password }).toEqual({
        name,
        user: 'crm_app',
        database: db,
        ownersPassword: false,
      });
    }
    for (const name of Object.keys(APP_ROLES)) {
      expect({ name, migrationUrl: environmentOf(serviceNamed(name)).DATABASE_MIGRATION_URL }).toEqual({
        name,
        migrationUrl: undefined,
      });
    }
    expect(credentialsOf(environmentOf(serviceNamed('migrate')).DATABASE_MIGRATION_URL)).toEqual({ ...owner, db });
    expect(serviceNamed('postgresql').environment).toEqual(
      expect.objectContaining({ POSTGRES_PASSWORD: expect.stringMatching(/^\$\{POSTGRES_PASSWORD:?-.+\}$/) }),
    );
  });
});

describe('docker-compose.yml demo safety', () => {
  test.each(Object.keys(APP_ROLES))('%s runs without demo data unless DEMO_DATA says otherwise', (name) => {
    const config = loadConfig(environmentOf(serviceNamed(name)), '/app');
    expect({ demoData: config.demoData, explicit: config.demoDataExplicit }).toEqual({
      demoData: false,
      explicit: true,
    });
    expect(config.authSecret).toBe('b'.repeat(64));
    expect(config.adminApiKey).toBe('a'.repeat(64));
  });

  test('refuses to start without ADMIN_API_KEY and AUTH_SECRET from .env', () => {
    const shared = composeUnmerged['x-app-env'] as Record<string, string>;
    expect(() => interpolate(shared.ADMIN_API_KEY ?? '', {})).toThrow(/required variable ADMIN_API_KEY/);
    expect(() => interpolate(shared.AUTH_SECRET ?? '', {})).toThrow(/required variable AUTH_SECRET/);
  });
});

describe('docker-compose.yml start order', () => {
  test.each(Object.keys(APP_ROLES))('%s waits for healthy postgresql, temporal and mailpit', (name) => {
    const dependencies = dependenciesOf(serviceNamed(name));
    expect(Object.fromEntries(BACKING_SERVICES.map((backing) => [backing, dependencies[backing]]))).toEqual(
      Object.fromEntries(BACKING_SERVICES.map((backing) => [backing, 'service_healthy'])),
    );
  });

  test('waits only on services that exist and can report the awaited condition', () => {
    const problems = serviceNames.flatMap((name) =>
      Object.entries(dependenciesOf(serviceNamed(name))).flatMap(([target, condition]) => {
        const dependency = compose.services[target];
        if (!dependency) return [`${name} depends on missing service ${target}`];
        if (condition === 'service_healthy' && !dependency.healthcheck)
          return [`${name} waits for ${target} to be healthy, which has no healthcheck`];
        if (
          appServiceNames.includes(name) &&
          !['service_healthy', 'service_completed_successfully'].includes(condition)
        ) {
          return [`${name} starts after ${target} is merely started (${condition})`];
        }
        return [];
      }),
    );
    expect(problems).toEqual([]);
  });

  test('starts temporal after a healthy postgresql and stores its data there', () => {
    expect(dependenciesOf(serviceNamed('temporal')).postgresql).toBe('service_healthy');
    const temporal = environmentOf(serviceNamed('temporal'));
    const postgres = environmentOf(serviceNamed('postgresql'));
    expect({
      DB: temporal.DB,
      POSTGRES_SEEDS: temporal.POSTGRES_SEEDS,
      POSTGRES_USER: temporal.POSTGRES_USER,
      POSTGRES_PWD: temporal.POSTGRES_PWD,
    }).toEqual({
      DB: expect.stringMatching(/^postgres12/),
      POSTGRES_SEEDS: 'postgresql',
      POSTGRES_USER: postgres.POSTGRES_USER,
      POSTGRES_PWD: postgres.POSTGRES_PASSWORD,
    });
  });

  test('sets up the Temporal schema before the server starts', () => {
    const temporal = serviceNamed('temporal');
    const schemaJobs = Object.entries(dependenciesOf(temporal)).filter(
      ([name, condition]) =>
        condition === 'service_completed_successfully' &&
        parseImage(serviceNamed(name).image ?? '').name === 'temporalio/admin-tools',
    );
    expect(parseImage(temporal.image ?? '').name === 'temporalio/auto-setup' || schemaJobs.length === 1).toBe(true);
  });

  test('registers the app namespace before api and worker start', () => {
    const namespace = environmentOf(serviceNamed('api')).TEMPORAL_NAMESPACE || 'default';
    if (parseImage(serviceNamed('temporal').image ?? '').name === 'temporalio/auto-setup') {
      expect(environmentOf(serviceNamed('temporal')).DEFAULT_NAMESPACE).toBe(namespace);
      return;
    }
    const registrars = serviceNames.filter(
      (name) =>
        environmentOf(serviceNamed(name)).NAMESPACE === namespace &&
        dependenciesOf(serviceNamed(name)).temporal === 'service_healthy',
    );
    expect({ namespace, registrars: registrars.length }).toEqual({ namespace, registrars: 1 });
    for (const name of Object.keys(APP_ROLES)) {
      expect({ name, waitsFor: dependenciesOf(serviceNamed(name))[registrars[0] ?? ''] }).toEqual({
        name,
        waitsFor: 'service_completed_successfully',
      });
    }
  });
});

describe('docker-compose.yml ports, volumes and files', () => {
  test('publishes the API on 3000, the Temporal UI on 8233 and Mailpit on 1025/8025', () => {
    const uiPort = environmentOf(serviceNamed('temporal-ui')).TEMPORAL_UI_PORT || '8080';
    expect(portsOf(serviceNamed('api'))).toContainEqual({
      published: '3000',
      target: environmentOf(serviceNamed('api')).PORT,
    });
    expect(portsOf(serviceNamed('temporal-ui'))).toContainEqual({ published: '8233', target: uiPort });
    expect(environmentOf(serviceNamed('temporal-ui')).TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(portsOf(serviceNamed('mailpit'))).toEqual(
      expect.arrayContaining([
        { published: '1025', target: '1025' },
        { published: '8025', target: '8025' },
      ]),
    );
  });

  test('keeps PostgreSQL data in a named volume at the data directory of its major version', () => {
    const { tag = '' } = parseImage(serviceNamed('postgresql').image ?? '');
    const major = Number(/^\d+/.exec(tag)?.[0]);
    const dataDir = major >= 18 ? '/var/lib/postgresql' : '/var/lib/postgresql/data';
    const volumes = mountsOf(serviceNamed('postgresql')).filter(
      (mount) => mount.type === 'volume' && mount.target === dataDir,
    );
    expect(volumes).toHaveLength(1);
    expect(Object.keys(compose.volumes ?? {})).toContain(volumes[0]?.source);
    expect(commandLine(serviceNamed('postgresql').healthcheck?.test)).toContain('pg_isready');
  });

  test('mounts only files that exist in the repository', () => {
    const missing = serviceNames.flatMap((name) =>
      mountsOf(serviceNamed(name))
        .filter((mount) => mount.type === 'bind' && !existsSync(path.resolve(repoRoot, mount.source)))
        .map((mount) => `${name}: ${mount.source}`),
    );
    expect(missing).toEqual([]);
  });

  test('gives the Temporal server a dynamic config file that exists and has the right shape', () => {
    const temporal = serviceNamed('temporal');
    const inContainer = path.posix.resolve('/etc/temporal', environmentOf(temporal).DYNAMIC_CONFIG_FILE_PATH ?? '');
    const mount = mountsOf(temporal).find(
      (candidate) => candidate.type === 'bind' && inContainer.startsWith(`${candidate.target}/`),
    );
    expect(mount).toBeDefined();
    const file = path.resolve(repoRoot, mount?.source ?? '', path.posix.relative(mount?.target ?? '', inContainer));
    const config = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    for (const [key, values] of Object.entries(config)) {
      expect({ key, values }).toEqual({
        key,
        values: expect.arrayContaining([expect.objectContaining({ value: expect.anything() })]),
      });
    }
  });

  test('runs one-shot job scripts that exist in the mounted deploy folder', () => {
    const scripts = jobServiceNames.flatMap((name) => {
      const service = serviceNamed(name);
      const line = `${commandLine(service.entrypoint)} ${commandLine(service.command)}`;
      return [...line.matchAll(/(\/\S+\.sh)\b/g)].map((match) => ({
        name,
        inContainer: match[1] ?? '',
        mounts: mountsOf(service),
      }));
    });
    const missing = scripts.filter(
      ({ inContainer, mounts }) =>
        !mounts.some(
          (mount) =>
            mount.type === 'bind' &&
            inContainer.startsWith(`${mount.target}/`) &&
            existsSync(path.resolve(repoRoot, mount.source, path.posix.relative(mount.target, inContainer))),
        ),
    );
    expect(missing.map(({ name, inContainer }) => `${name}: ${inContainer}`)).toEqual([]);
  });

  test('checks the API through /readyz', () => {
    const line = commandLine(serviceNamed('api').healthcheck?.test);
    const script = /\b(deploy\/\S+\.m?js)\b/.exec(line)?.[1];
    const source = script && existsSync(repoPath(script)) ? readFileSync(repoPath(script), 'utf8') : '';
    expect(line.includes('/readyz') || source.includes('/readyz')).toBe(true);
  });
});
