import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import { ConfigError, VARIABLES, loadConfig } from '../../../runtime/config';

describe('loadConfig', () => {
  it('defaults to embedded services under ./data', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      roles: ['api', 'worker'],
      dataDir: '/srv/app/data',
      logLevel: 'info',
      database: { embedded: { port: 5433, dir: '/srv/app/data/postgres' } },
      temporal: {
        namespace: 'default',
        taskQueue: 'crm-processes',
        server: { embedded: { port: 7233, uiPort: 8233, dbFile: '/srv/app/data/temporal/temporal.db' } },
      },
      smtp: { embedded: { port: 1025, uiPort: 8025, dir: '/srv/app/data/mail' } },
    });
  });

  it('uses external servers when their variables are set', () => {
    const config = loadConfig(
      {
        DATABASE_URL: 'postgresql://u:p@db:5432/crm',
        TEMPORAL_ADDRESS: 'temporal:7233',
        SMTP_URL: 'smtp://mail:1025',
        ROLES: 'worker',
      },
      '/srv/app',
    );
    expect(config.database).toEqual({ url: 'postgresql://u:p@db:5432/crm' });
    expect(config.temporal.server).toEqual({ address: 'temporal:7233' });
    expect(config.smtp).toEqual({ url: 'smtp://mail:1025' });
    expect(config.roles).toEqual(['worker']);
  });

  it('reports every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: '99999',
        DATABASE_URL: 'mysql://x',
        TEMPORAL_ADDRESS: 'no-port',
        ROLES: 'api,cron',
        LOG_LEVEL: 'loud',
        SMTP_URL: 'not a url',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(6);
    expect(problems.join('\n')).toMatch(/PORT=.*99999/);
    expect(problems.join('\n')).toMatch(/DATABASE_URL must use postgres: or postgresql:/);
    expect(problems.join('\n')).toMatch(/TEMPORAL_ADDRESS=.*host:port/);
    expect(problems.join('\n')).toMatch(/ROLES=/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL=/);
    expect(problems.join('\n')).toMatch(/SMTP_URL=.*not a URL/);
  });

  it('loads the demo company unless DEMO_DATA=false, and keeps PUBLIC_URL without a trailing slash', () => {
    expect(loadConfig({})).toMatchObject({ demoData: true, publicUrl: 'http://localhost:3000' });
    expect(loadConfig({ DEMO_DATA: 'false', PUBLIC_URL: 'https://crm.example.com/' })).toMatchObject({
      demoData: false,
      publicUrl: 'https://crm.example.com',
    });
    expect(() => loadConfig({ DEMO_DATA: 'no', PUBLIC_URL: 'ftp://x' })).toThrow(
      /PUBLIC_URL must use http: or https:[\s\S]*DEMO_DATA="no" must be one of true, false/,
    );
  });

  it('takes an ADMIN_API_KEY of at least 24 characters', () => {
    expect(loadConfig({}).adminApiKey).toBeUndefined();
    expect(loadConfig({ ADMIN_API_KEY: 'k'.repeat(24) }).adminApiKey).toBe('k'.repeat(24));
    expect(() => loadConfig({ ADMIN_API_KEY: 'short' })).toThrow(/ADMIN_API_KEY must be at least 24 characters/);
  });

  it('takes an AUTH_SECRET of at least 32 characters, or leaves it to DATA_DIR/auth-secret', () => {
    expect(loadConfig({}).authSecret).toBeUndefined();
    expect(loadConfig({ AUTH_SECRET: 's'.repeat(32) }).authSecret).toBe('s'.repeat(32));
    expect(() => loadConfig({ AUTH_SECRET: 's'.repeat(31) })).toThrow(/AUTH_SECRET must be at least 32 characters/);
    expect(() => loadConfig({ ADMIN_PASSWORD: 'short' })).toThrow(/ADMIN_PASSWORD must be at least 12 characters/);
    expect(loadConfig({}).accessTokenSeconds).toBe(900);
    expect(() => loadConfig({ ACCESS_TOKEN_SECONDS: '5' })).toThrow(/ACCESS_TOKEN_SECONDS="5" must be/);
  });

  it('prepares list statements unless DATABASE_PREPARED_STATEMENTS=false', () => {
    expect(loadConfig({}).databasePreparedStatements).toBe(true);
    expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'false' }).databasePreparedStatements).toBe(false);
    expect(() => loadConfig({ DATABASE_PREPARED_STATEMENTS: 'no' })).toThrow(/DATABASE_PREPARED_STATEMENTS/);
  });

  it('keeps principals in memory for PRINCIPAL_CACHE_SECONDS (60 by default, 0 to 3600)', () => {
    expect(loadConfig({}).principalCacheSeconds).toBe(60);
    expect(loadConfig({ PRINCIPAL_CACHE_SECONDS: '0' }).principalCacheSeconds).toBe(0);
    expect(loadConfig({ PRINCIPAL_CACHE_SECONDS: '3600' }).principalCacheSeconds).toBe(3600);
    expect(() => loadConfig({ PRINCIPAL_CACHE_SECONDS: '3601' })).toThrow(/PRINCIPAL_CACHE_SECONDS="3601" must be/);
    expect(() => loadConfig({ PRINCIPAL_CACHE_SECONDS: '-1' })).toThrow(/PRINCIPAL_CACHE_SECONDS="-1" must be/);
    expect(() => loadConfig({ PRINCIPAL_CACHE_SECONDS: 'a minute' })).toThrow(/PRINCIPAL_CACHE_SECONDS/);
  });

  it('knows whether DEMO_DATA was set or defaulted, and refuses a non-loopback HOST with defaulted demo data', () => {
    expect(loadConfig({})).toMatchObject({ demoData: true, demoDataExplicit: false });
    expect(loadConfig({ DEMO_DATA: 'true' })).toMatchObject({ demoData: true, demoDataExplicit: true });
    for (const host of ['127.0.0.1', '::1', 'localhost']) expect(loadConfig({ HOST: host }).host).toBe(host);
    for (const host of ['0.0.0.0', '192.168.1.20', '::']) {
      expect(() => loadConfig({ HOST: host })).toThrow(/set DEMO_DATA explicitly/);
      expect(loadConfig({ HOST: host, DEMO_DATA: 'false' })).toMatchObject({ demoData: false });
      // Explicitly on: allowed (a demo on a LAN), and the start log warns.
      expect(loadConfig({ HOST: host, DEMO_DATA: 'true' })).toMatchObject({ demoData: true });
    }
  });

  it('reads the limits: generous rate limits by default, CORS for listed origins only', () => {
    const config = loadConfig({});
    expect(config.corsOrigins).toEqual([]);
    expect(config.rateLimits).toEqual({
      perPrincipalPerMinute: 1200,
      authFailuresPerIpPerMinute: 30,
      eventsPerRecordPerMinute: 30,
    });
    expect(config.inputLimits).toEqual({ jsonMaxBytes: 16384, jsonMaxDepth: 32, bodyMaxBytes: 262144 });
    expect(loadConfig({ CORS_ORIGINS: 'https://crm.example.com, http://localhost:5173' }).corsOrigins).toEqual([
      'https://crm.example.com',
      'http://localhost:5173',
    ]);
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '0' }).rateLimits.perPrincipalPerMinute).toBe(0);
  });

  it('refuses a limit that is not a whole number and an origin with a path', () => {
    expect(() => loadConfig({ RATE_LIMIT_PER_MINUTE: 'lots' })).toThrow(/RATE_LIMIT_PER_MINUTE="lots"/);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://crm.example.com/' })).toThrow(/CORS_ORIGINS/);
  });

  it('trusts X-Forwarded-For only from the proxies TRUST_PROXY names', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1 ,::1' }).trustProxy).toBe('10.0.0.0/8,127.0.0.1,::1');
    for (const bad of ['true', '2', '*', '10.0.0.0/33', 'proxy.example', '127.0.0.1/8/1']) {
      expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY=.* must be addresses or CIDR ranges/);
    }
  });

  it('treats blank variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '  ', PORT: '' }).port).toBe(3000);
  });

  it('is documented: the README table lists every variable with its default', () => {
    const readme = fs.readFileSync('README.md', 'utf8');
    for (const variable of VARIABLES) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${variable.name}\``));
      expect(row).toBeDefined();
      if (variable.default !== undefined) expect(row).toContain(variable.default);
    }
  });
});
