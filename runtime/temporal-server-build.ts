import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The real Temporal server and its SQL schema tool, built from Go modules: no release download,
 * and the same version as the `temporalio/server` image of docker-compose.yml. v1.31.x needs
 * Go >= 1.26.4.
 */
export const TEMPORAL_SERVER_VERSION = 'v1.31.2';

export interface TemporalServerBinaries {
  version: string;
  /** `temporal-server start`: every service in one process, configured from the environment. */
  server: string;
  /** `temporal-sql-tool`: create-database, setup-schema, update-schema (schemas embedded). */
  sqlTool: string;
}

const PACKAGES = [
  { module: 'go.temporal.io/server/cmd/server', built: 'server', file: 'temporal-server' },
  { module: 'go.temporal.io/server/cmd/tools/sql', built: 'sql', file: 'temporal-sql-tool' },
] as const;

/** Where a version's binaries live, under the project's `.tools` (shared by checkouts that link it). */
export function temporalServerBinaries(toolsDir: string, version = TEMPORAL_SERVER_VERSION): TemporalServerBinaries {
  const bin = path.join(toolsDir, 'temporal-server', version, 'bin');
  return { version, server: path.join(bin, 'temporal-server'), sqlTool: path.join(bin, 'temporal-sql-tool') };
}

export interface BuildOptions {
  /** The project's `.tools` folder: the Go module and build caches go under `go/`, the binaries beside. */
  toolsDir: string;
  version?: string;
  /** The `go` command; default `go` on PATH. */
  goBinary?: string;
  log: (line: string) => void;
}

/**
 * Builds the binaries unless this version's are there already (seconds when the caches are
 * warm, minutes and ~1.5 GB of modules when cold). Each binary is installed into a scratch
 * folder and renamed into place, so an interrupted build never leaves a half-written binary
 * that the next run would take for a finished one.
 */
export async function ensureTemporalServerBinaries(options: BuildOptions): Promise<TemporalServerBinaries> {
  const version = options.version ?? TEMPORAL_SERVER_VERSION;
  const binaries = temporalServerBinaries(options.toolsDir, version);
  const targets = { 'temporal-server': binaries.server, 'temporal-sql-tool': binaries.sqlTool };
  if (Object.values(targets).every(isExecutable)) return binaries;

  const go = path.join(options.toolsDir, 'go');
  fs.mkdirSync(path.dirname(path.dirname(binaries.server)), { recursive: true });
  const scratch = fs.mkdtempSync(`${path.dirname(binaries.server)}-`);
  const env = {
    ...process.env,
    GOPATH: go,
    GOMODCACHE: path.join(go, 'pkg', 'mod'),
    GOCACHE: path.join(go, 'cache'),
    GOBIN: scratch,
    // The installed Go must do: a toolchain download is not an option on offline machines.
    GOTOOLCHAIN: 'local',
    GOFLAGS: '-buildvcs=false',
  };
  try {
    for (const pkg of PACKAGES) {
      const target = targets[pkg.file];
      if (isExecutable(target)) continue;
      const started = Date.now();
      options.log(`building ${pkg.module}@${version} (minutes when the Go module cache is cold)`);
      await runGo(options.goBinary ?? 'go', ['install', `${pkg.module}@${version}`], env);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.renameSync(path.join(scratch, pkg.built), target);
      options.log(`built ${target} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return binaries;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

async function runGo(goBinary: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(goBinary, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8000);
  });
  const exit = await new Promise<{ code: number | null; error?: Error }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, error }));
    child.once('exit', (code) => resolve({ code }));
  });
  if ((exit.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT')
    throw new Error(
      `Building the Temporal server needs Go >= 1.26.4, and \`${goBinary}\` is not on PATH: install Go, or set TEMPORAL_ADDRESS to an existing server.`,
    );
  if (exit.error) throw exit.error;
  if (exit.code !== 0) throw new Error(`go ${args.join(' ')} failed (code ${exit.code}): ${stderr.trim()}`);
}
