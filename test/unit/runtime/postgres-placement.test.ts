import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedPostgresError, isReachableBy, placeEmbeddedPostgres } from '../../../runtime/postgres-placement';

let temp: string;
const me = { uid: os.userInfo().uid, gid: os.userInfo().gid };
// Neither the owner nor in the owning group of anything created here: only the "other" bits apply.
const stranger = { uid: me.uid + 4242, gid: me.gid + 4242 };

beforeEach(() => {
  temp = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-placement-'));
  fs.chmodSync(temp, 0o755);
});

afterEach(() => {
  fs.rmSync(temp, { recursive: true, force: true });
});

function dir(relative: string, mode: number): string {
  const full = path.join(temp, relative);
  fs.mkdirSync(full, { recursive: true });
  fs.chmodSync(full, mode);
  return full;
}

/** A fake platform package: what matters here is where it is, not that it runs. */
function nativePackage(parent: string): string {
  const native = path.join(parent, 'native');
  fs.mkdirSync(path.join(native, 'bin'), { recursive: true });
  fs.mkdirSync(path.join(native, 'lib'), { recursive: true });
  fs.writeFileSync(path.join(native, 'bin', 'postgres'), '#!/bin/sh\n', { mode: 0o755 });
  fs.writeFileSync(path.join(native, 'lib', 'libpq.so.5.18'), 'lib');
  fs.symlinkSync('libpq.so.5.18', path.join(native, 'lib', 'libpq.so.5'));
  return native;
}

describe('isReachableBy', () => {
  it('needs the search bit that applies to the account on every folder above the target', () => {
    dir('home', 0o700);
    const target = path.join(dir('home/checkout', 0o755), 'file');
    expect(isReachableBy(target, me)).toBe(true);
    expect(isReachableBy(target, stranger)).toBe(false);
    fs.chmodSync(path.join(temp, 'home'), 0o701);
    expect(isReachableBy(target, stranger)).toBe(true);
  });

  it('uses the group bits for a member of the owning group, not the other bits', () => {
    const target = path.join(dir('group-only', 0o710), 'file');
    expect(isReachableBy(target, { uid: stranger.uid, gid: me.gid })).toBe(true);
    expect(isReachableBy(target, stranger)).toBe(false);
  });

  it('counts folders that do not exist yet as reachable (they are created for the account)', () => {
    expect(isReachableBy(path.join(temp, 'not', 'yet', 'there'), stranger)).toBe(true);
  });
});

describe('placeEmbeddedPostgres', () => {
  it('leaves binaries and data where the account can reach them', () => {
    const native = nativePackage(dir('open/pkg', 0o755));
    const dataDir = path.join(temp, 'open', 'data', 'postgres');
    const placement = placeEmbeddedPostgres({
      nativeDir: native,
      version: '18.4.0',
      dataDir,
      account: stranger,
      sharedRoot: path.join(temp, 'shared'),
    });
    expect(placement).toEqual({ nativeDir: native, dataDir, moves: [] });
    expect(fs.existsSync(path.join(temp, 'shared'))).toBe(false);
  });

  it('copies unreachable binaries once per version and keeps unreachable data under the shared folder', () => {
    dir('home', 0o700);
    const native = nativePackage(dir('home/checkout/pkg', 0o755));
    const sharedRoot = path.join(temp, 'shared');
    const options = {
      nativeDir: native,
      version: '18.4.0',
      dataDir: path.join(temp, 'home', 'checkout', 'data', 'postgres'),
      account: stranger,
      sharedRoot,
    };
    const first = placeEmbeddedPostgres(options);
    expect(first.nativeDir).toBe(path.join(sharedRoot, 'postgres-18.4.0'));
    expect(fs.readlinkSync(path.join(first.nativeDir, 'lib', 'libpq.so.5'))).toBe('libpq.so.5.18');
    expect(fs.statSync(path.join(first.nativeDir, 'bin', 'postgres')).mode & 0o111).toBe(0o111);
    expect(first.dataDir.startsWith(path.join(sharedRoot, 'data') + path.sep)).toBe(true);
    expect(isReachableBy(path.join(first.dataDir, 'PG_VERSION'), stranger)).toBe(true);
    expect(first.moves).toHaveLength(2);
    expect(first.moves[0]).toContain(`cannot reach ${native}`);

    // A second start reuses the copy (the marker is there) and finds the same data folder.
    fs.writeFileSync(path.join(first.nativeDir, 'bin', 'kept'), '');
    const second = placeEmbeddedPostgres(options);
    expect(second.nativeDir).toBe(first.nativeDir);
    expect(second.dataDir).toBe(first.dataDir);
    expect(fs.existsSync(path.join(first.nativeDir, 'bin', 'kept'))).toBe(true);

    // Another configured data folder gets a stand-in of its own.
    const other = placeEmbeddedPostgres({ ...options, dataDir: path.join(temp, 'home', 'elsewhere') });
    expect(other.dataDir).not.toBe(first.dataDir);
  });

  it('keeps using the stand-in data folder once the configured one becomes reachable but holds no cluster', () => {
    const home = dir('home', 0o700);
    const sharedRoot = path.join(temp, 'shared');
    const options = {
      nativeDir: nativePackage(dir('open/pkg', 0o755)),
      version: '18.4.0',
      dataDir: path.join(home, 'data', 'postgres'),
      account: stranger,
      sharedRoot,
    };
    const kept = placeEmbeddedPostgres(options).dataDir;
    fs.mkdirSync(kept, { recursive: true });
    fs.writeFileSync(path.join(kept, 'PG_VERSION'), '18\n');
    fs.chmodSync(home, 0o701);
    const after = placeEmbeddedPostgres(options);
    expect(after.dataDir).toBe(kept);
    expect(after.moves).toEqual([expect.stringContaining('which has no cluster')]);

    // A cluster in the configured folder itself wins.
    fs.mkdirSync(options.dataDir, { recursive: true });
    fs.writeFileSync(path.join(options.dataDir, 'PG_VERSION'), '18\n');
    expect(placeEmbeddedPostgres(options)).toMatchObject({ dataDir: options.dataDir, moves: [] });
  });

  it('replaces a copy left without its completion marker (cut short) instead of running from it', () => {
    dir('home', 0o700);
    const native = nativePackage(dir('home/checkout/pkg', 0o755));
    const sharedRoot = path.join(temp, 'shared');
    const stale = path.join(sharedRoot, 'postgres-18.4.0');
    fs.mkdirSync(path.join(stale, 'bin'), { recursive: true });
    fs.writeFileSync(path.join(stale, 'bin', 'half-copied'), '');
    const placement = placeEmbeddedPostgres({
      nativeDir: native,
      version: '18.4.0',
      dataDir: path.join(temp, 'open-data'),
      account: stranger,
      sharedRoot,
    });
    expect(placement.nativeDir).toBe(stale);
    expect(fs.existsSync(path.join(stale, 'bin', 'half-copied'))).toBe(false);
    expect(fs.existsSync(path.join(stale, 'bin', 'postgres'))).toBe(true);
    expect(fs.existsSync(path.join(stale, '.complete'))).toBe(true);
    expect(fs.readdirSync(sharedRoot)).toEqual(['postgres-18.4.0']);
  });

  it('fails with one line naming the fix when the shared folder is out of reach too', () => {
    dir('home', 0o700);
    const native = nativePackage(dir('home/checkout/pkg', 0o755));
    let error: unknown;
    try {
      placeEmbeddedPostgres({
        nativeDir: native,
        version: '18.4.0',
        dataDir: path.join(temp, 'home', 'data'),
        account: stranger,
        sharedRoot: path.join(temp, 'home', 'shared'),
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EmbeddedPostgresError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain('EMBEDDED_PG_SHARED_DIR');
    expect(message).toContain('DATABASE_URL');
  });
});
