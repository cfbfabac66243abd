import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { findFreePort } from '../../../runtime/port-check';
import { startTemporalDevServer, type RunningDevServer } from '../../../runtime/temporal-dev-server';
import { resolveTemporalCli } from '../../../runtime/tool-paths';

/**
 * The embedded Temporal server keeps its SQLite file in WAL mode: with SQLite's default rollback
 * journal every commit created, synced and deleted a journal file, a third of the server's CPU.
 */
describe('the embedded Temporal dev server', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-dev-server-'));
  const dbFile = path.join(dir, 'temporal', 'temporal.db');
  let server: RunningDevServer;

  beforeAll(async () => {
    server = await startTemporalDevServer({
      cliPath: resolveTemporalCli().path,
      host: '127.0.0.1',
      port: await findFreePort(),
      uiPort: null,
      dbFile,
      namespace: 'default',
      logger: pino({ level: 'silent' }),
      logFile: path.join(dir, 'server.log'),
    });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes its SQLite file through a write-ahead log', () => {
    // The database header's bytes 18 and 19 (write and read format versions) are 2 in WAL mode, 1 in rollback-journal mode.
    const header = Buffer.alloc(20);
    const fd = fs.openSync(dbFile, 'r');
    try {
      fs.readSync(fd, header, 0, 20, 0);
    } finally {
      fs.closeSync(fd);
    }
    expect(header.subarray(0, 15).toString('latin1')).toBe('SQLite format 3');
    expect([header[18], header[19]]).toEqual([2, 2]);
    expect(fs.existsSync(`${dbFile}-wal`)).toBe(true);
  });
});
