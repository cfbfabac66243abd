import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';

/** The project's root: runtime/ sits directly below it. */
export const PROJECT_ROOT = resolve(import.meta.dirname, '..');
/** Where the web app is built and served from. */
export const WEB_DIST = join(PROJECT_ROOT, 'dist', 'web');
const STAMP_FILE = '.build-stamp';
/** What the build depends on: its sources, its configuration and the locked library versions. */
const INPUTS = ['web', 'vite.config.ts', 'package-lock.json'];

export type WebBuildResult =
  | { status: 'fresh'; stamp: string }
  | { status: 'built'; stamp: string; ms: number }
  /** The build could not run; `served` says whether an older build is still there to serve. */
  | { status: 'failed'; reason: string; served: boolean };

interface BuildLog {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * Builds the web app into dist/web when its sources changed since the last build (a content hash
 * of INPUTS, kept in dist/web/.build-stamp), so `npm start` always serves what the checkout holds
 * without building in `postinstall` (which installs without dev dependencies skip). A build that
 * cannot run (Vite missing, a compile error) is reported, never thrown: the API starts anyway and
 * serves the previous build, or a page saying why there is none.
 *
 * The new build is written beside the old one and swapped in, so a running server never serves
 * a half-written folder; a lock directory keeps two starts (or test runs) from building at once.
 */
export async function ensureWebBuild(log: BuildLog, root: string = PROJECT_ROOT): Promise<WebBuildResult> {
  const dist = join(root, 'dist', 'web');
  const stamp = await sourceStamp(root);
  if ((await readStamp(dist)) === stamp) return { status: 'fresh', stamp };
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) {
    return failed(
      log,
      dist,
      'Vite is not installed (were dev dependencies omitted?); run `npm install` then `npm run web:build`',
    );
  }
  const release = await takeLock(join(root, 'dist', '.web-build.lock'));
  try {
    // Another process may have built it while this one waited for the lock.
    if ((await readStamp(dist)) === stamp) return { status: 'fresh', stamp };
    log.info('building the web app (its sources changed since the last build)…');
    const started = Date.now();
    const staging = `${dist}.building-${process.pid}`;
    await rm(staging, { recursive: true, force: true });
    const outcome = await runVite(vite, root, staging);
    if (!outcome.ok) {
      await rm(staging, { recursive: true, force: true });
      return failed(log, dist, `the web app's build failed:\n${outcome.output}`);
    }
    await writeFile(join(staging, STAMP_FILE), `${stamp}\n`);
    const previous = `${dist}.previous-${process.pid}`;
    if (existsSync(dist)) await rename(dist, previous);
    await rename(staging, dist);
    await rm(previous, { recursive: true, force: true });
    const ms = Date.now() - started;
    log.info(`web app built in ${(ms / 1000).toFixed(1)} s`);
    return { status: 'built', stamp, ms };
  } finally {
    await release();
  }
}

function failed(log: BuildLog, dist: string, reason: string): WebBuildResult {
  const served = existsSync(join(dist, 'index.html'));
  log.warn(
    `web app not built: ${reason}\n` +
      (served ? 'Serving the previous build of the web app.' : 'The API runs; the web app shows why it is missing.'),
  );
  return { status: 'failed', reason, served };
}

/** A hash over the path and content of every input file, in a stable order. */
export async function sourceStamp(root: string = PROJECT_ROOT): Promise<string> {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    for (const file of await filesUnder(join(root, input))) {
      hash
        .update(relative(root, file))
        .update('\0')
        .update(await readFile(file))
        .update('\0');
    }
  }
  return hash.digest('hex');
}

async function filesUnder(path: string): Promise<string[]> {
  if (!existsSync(path)) return [];
  const entries = await readdir(path, { withFileTypes: true }).catch(() => null);
  if (entries === null) return [path];
  const nested = await Promise.all(
    entries
      .filter((entry) => entry.name !== 'node_modules' && !entry.name.startsWith('.'))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((entry) => filesUnder(join(path, entry.name))),
  );
  return nested.flat();
}

async function readStamp(dist: string): Promise<string | null> {
  if (!existsSync(join(dist, 'index.html'))) return null;
  return (await readFile(join(dist, STAMP_FILE), 'utf8').catch(() => '')).trim() || null;
}

function runVite(vite: string, root: string, outDir: string): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      // The tail says what failed; a long build log is not worth holding.
      output = (output + chunk.toString()).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error) => resolvePromise({ ok: false, output: error.message }));
    child.on('close', (code) => resolvePromise({ ok: code === 0, output: output.trim() }));
  });
}

/** A lock directory holding its owner's pid; a dead owner's lock is taken over. */
async function takeLock(dir: string): Promise<() => Promise<void>> {
  await mkdir(join(dir, '..'), { recursive: true });
  for (let waitedMs = 0; ; waitedMs += 500) {
    try {
      await mkdir(dir);
      await writeFile(join(dir, 'pid'), String(process.pid));
      return () => rm(dir, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(await readFile(join(dir, 'pid'), 'utf8').catch(() => '0'));
      if ((owner > 0 && !isAlive(owner)) || waitedMs > 180_000) {
        await rm(dir, { recursive: true, force: true });
        continue;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
