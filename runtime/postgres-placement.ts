import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The account PostgreSQL runs as: its uid and primary gid. */
export interface PostgresAccount {
  uid: number;
  gid: number;
}

/** Where the embedded PostgreSQL's binaries and data end up, and why they moved. */
export interface PostgresPlacement {
  nativeDir: string;
  dataDir: string;
  /** One line per thing that was moved, for the log. */
  moves: string[];
}

/** Why the embedded PostgreSQL cannot be placed, in one line that names the fix. */
export class EmbeddedPostgresError extends Error {
  override readonly name = 'EmbeddedPostgresError';
}

/**
 * Whether `account` may walk down to `target`: every existing ancestor must be searchable (x) for
 * it, by the owner, group or other bits that apply. Only the primary group counts and ACLs are
 * ignored, so a "no" can be pessimistic; the cost of that is a copy, never a failure.
 */
export function isReachableBy(target: string, account: PostgresAccount): boolean {
  const absolute = path.resolve(target);
  const parts = absolute.split(path.sep).filter(Boolean);
  let current = path.parse(absolute).root;
  for (const part of [null, ...parts]) {
    if (part !== null) current = path.join(current, part);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(current);
    } catch {
      // Whatever does not exist yet is created by us, with modes the account can use.
      return true;
    }
    if (!stat.isDirectory()) return true;
    const bits = stat.uid === account.uid ? 0o100 : stat.gid === account.gid ? 0o010 : 0o001;
    if ((stat.mode & bits) === 0) return false;
  }
  return true;
}

export interface PlacementOptions {
  /** The platform package's `native` folder (bin, lib, share). */
  nativeDir: string;
  /** Its version: copies are keyed by it, so an upgrade never runs against stale libraries. */
  version: string;
  dataDir: string;
  account: PostgresAccount;
  /** A root-owned folder every user can enter, for what must move (e.g. /var/lib/crm-process-engine). */
  sharedRoot: string;
}

/**
 * As root PostgreSQL runs as another account, which cannot enter a checkout under a private
 * folder (a home directory of mode 0700): spawning its binaries then fails with EACCES. What it
 * cannot reach is copied (the binaries, once per version) or kept (the data, per configured path)
 * under `sharedRoot`; what it can reach stays where it is.
 */
export function placeEmbeddedPostgres(options: PlacementOptions): PostgresPlacement {
  const moves: string[] = [];
  let nativeDir = options.nativeDir;
  if (!isReachableBy(path.join(nativeDir, 'bin', 'postgres'), options.account)) {
    nativeDir = copyNativeDir(options);
    moves.push(`PostgreSQL binaries: ${nativeDir} (user postgres cannot reach ${options.nativeDir})`);
  }
  let dataDir = options.dataDir;
  const key = createHash('sha256').update(path.resolve(options.dataDir)).digest('hex').slice(0, 16);
  const standIn = path.join(options.sharedRoot, 'data', key);
  if (!isReachableBy(options.dataDir, options.account)) {
    dataDir = standIn;
    makeSharedDir(path.dirname(dataDir), options, `the data folder ${options.dataDir}`);
    moves.push(`PostgreSQL data: ${dataDir} (user postgres cannot reach ${options.dataDir})`);
  } else if (!hasCluster(options.dataDir) && hasCluster(standIn)) {
    // The folder became reachable since (chmod o+x): the data stays where it has been kept.
    dataDir = standIn;
    moves.push(`PostgreSQL data: ${dataDir} (kept there for ${options.dataDir}, which has no cluster)`);
  }
  return { nativeDir, dataDir, moves };
}

function hasCluster(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, 'PG_VERSION'));
}

function copyNativeDir(options: PlacementOptions): string {
  const target = path.join(options.sharedRoot, `postgres-${options.version}`);
  // The marker is written last: a copy cut short is redone, never used half-done.
  const marker = path.join(target, '.complete');
  if (fs.existsSync(marker)) return target;
  makeSharedDir(options.sharedRoot, options, options.nativeDir);
  const partial = `${target}.partial-${process.pid}`;
  try {
    fs.rmSync(partial, { recursive: true, force: true });
    // The package's library symlinks are relative, so they stay valid in the copy.
    fs.cpSync(options.nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(partial, 0o755);
    fs.writeFileSync(path.join(partial, '.complete'), `${options.nativeDir}\n`);
    if (fs.existsSync(marker)) {
      // Another process finished the same copy meanwhile and may be running from it: keep it.
      fs.rmSync(partial, { recursive: true, force: true });
      return target;
    }
    // Copies appear whole by rename, so a target without the marker is no copy anyone runs from.
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(partial, target);
  } catch (error) {
    fs.rmSync(partial, { recursive: true, force: true });
    if (fs.existsSync(marker)) return target; // another process finished the same copy first
    throw placementError(options, options.nativeDir, error);
  }
  return target;
}

function makeSharedDir(dir: string, options: PlacementOptions, unreachable: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  } catch (error) {
    throw placementError(options, unreachable, error);
  }
  if (!isReachableBy(path.join(dir, 'x'), options.account)) {
    throw placementError(options, unreachable, new Error(`${dir} is not reachable either`));
  }
}

function placementError(options: PlacementOptions, unreachable: string, cause: unknown): EmbeddedPostgresError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new EmbeddedPostgresError(
    `The embedded PostgreSQL runs as user postgres, who cannot reach ${unreachable}, and it could not be moved ` +
      `under ${options.sharedRoot} (${reason}): let others enter the folders above the checkout ` +
      `(chmod o+x), or set EMBEDDED_PG_SHARED_DIR to a folder they can, or set DATABASE_URL.`,
  );
}
