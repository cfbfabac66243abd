import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoPath } from './compose-file';

// The one-shot Temporal jobs of docker-compose.yml, run against stand-ins for the
// admin-tools binaries (`temporal`, `temporal-sql-tool`) that record how they are called.

let sandbox = '';
const logFile = () => path.join(sandbox, 'calls.log');
const calls = () => readFileSync(logFile(), 'utf8').trim().split('\n').filter(Boolean);

function installFake(name: string, body: string): void {
  const file = path.join(sandbox, 'bin', name);
  writeFileSync(file, `#!/bin/sh\necho "${name} $*" >> "$FAKE_LOG"\n${body}\n`);
  chmodSync(file, 0o755);
}

function runScript(script: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const options = {
      env: {
        PATH: `${path.join(sandbox, 'bin')}:${process.env.PATH ?? ''}`,
        FAKE_LOG: logFile(),
        FAKE_STATE: sandbox,
        ...env,
      },
      timeout: 15_000,
    };
    execFile('/bin/sh', [repoPath('deploy', 'temporal', script)], options, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

beforeEach(() => {
  sandbox = mkdtempSync(path.join(tmpdir(), 'deploy-scripts-'));
  mkdirSync(path.join(sandbox, 'bin'));
  writeFileSync(logFile(), '');
});

afterEach(() => rmSync(sandbox, { recursive: true, force: true }));

describe('deploy/temporal/setup-schema.sh', () => {
  test('creates and migrates the temporal and temporal_visibility databases', async () => {
    installFake('temporal-sql-tool', 'exit 0');
    const outcome = await runScript('setup-schema.sh', {});
    expect(outcome.code).toBe(0);
    expect(calls()).toEqual([
      'temporal-sql-tool --db temporal create-database',
      'temporal-sql-tool --db temporal setup-schema -v 0.0',
      'temporal-sql-tool --db temporal update-schema -d /etc/temporal/schema/postgresql/v12/temporal/versioned',
      'temporal-sql-tool --db temporal_visibility create-database',
      'temporal-sql-tool --db temporal_visibility setup-schema -v 0.0',
      'temporal-sql-tool --db temporal_visibility update-schema -d /etc/temporal/schema/postgresql/v12/visibility/versioned',
    ]);
  });

  test('fails, so the server does not start, when a schema step fails', async () => {
    installFake('temporal-sql-tool', 'case "$*" in *update-schema*) exit 3 ;; esac');
    const outcome = await runScript('setup-schema.sh', {});
    expect(outcome.code).not.toBe(0);
    expect(calls().at(-1)).toContain('--db temporal update-schema');
  });
});

describe('deploy/temporal/create-namespace.sh', () => {
  // Serves from the second health probe on; the namespace exists once created.
  const fakeTemporal = `
case "$2 $3" in
  "cluster health") [ -e "$FAKE_STATE/serving" ] || { touch "$FAKE_STATE/serving"; exit 1; }; echo SERVING ;;
  "namespace describe") [ -e "$FAKE_STATE/namespace" ] ;;
  "namespace create") touch "$FAKE_STATE/namespace" ;;
  *) exit 64 ;;
esac`;
  const env = {
    TEMPORAL_ADDRESS: 'temporal:7233',
    NAMESPACE: 'crm',
    RETENTION: '30d',
    RETRY_DELAY: '0',
    MAX_ATTEMPTS: '3',
  };
  const address = '--address temporal:7233 --namespace crm';

  beforeEach(() => installFake('temporal', fakeTemporal));

  test('waits for the server, then creates the namespace with the retention asked for', async () => {
    const outcome = await runScript('create-namespace.sh', env);
    expect(outcome.code).toBe(0);
    expect(calls()).toEqual([
      'temporal operator cluster health --address temporal:7233',
      'temporal operator cluster health --address temporal:7233',
      `temporal operator namespace describe ${address}`,
      `temporal operator namespace create ${address} --retention 30d`,
      `temporal operator namespace describe ${address}`,
    ]);
  });

  test('leaves an existing namespace alone', async () => {
    writeFileSync(path.join(sandbox, 'serving'), '');
    writeFileSync(path.join(sandbox, 'namespace'), '');
    const outcome = await runScript('create-namespace.sh', env);
    expect(outcome.code).toBe(0);
    expect(calls()).toEqual([
      'temporal operator cluster health --address temporal:7233',
      `temporal operator namespace describe ${address}`,
      `temporal operator namespace describe ${address}`,
    ]);
  });

  test('fails when the server never serves', async () => {
    installFake('temporal', 'exit 1');
    const outcome = await runScript('create-namespace.sh', env);
    expect(outcome).toEqual({
      code: 1,
      output: expect.stringContaining('Gave up waiting for Temporal at temporal:7233'),
    });
    expect(calls()).toHaveLength(3);
  });
});
