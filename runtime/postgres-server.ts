import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PostgresAccount } from './postgres-placement';

/** PostgreSQL's own programs from a relocatable `native` folder (bin, lib, share), run as `account`. */
export interface PostgresServerOptions {
  nativeDir: string;
  dataDir: string;
  /** Unset: the current user (PostgreSQL refuses root, so root must name another account). */
  account?: PostgresAccount;
  log: (line: string) => void;
}

// The server's messages are matched in English.
const LOCALE_ENV = { LC_MESSAGES: 'C' };

/** Creates the cluster with password authentication for `user`; the data folder must not hold one. */
export async function initialiseCluster(options: PostgresServerOptions, user: string, password: string): Promise<void> {
  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  if (options.account) fs.chownSync(options.dataDir, options.account.uid, options.account.gid);
  // Beside the cluster, not in TMPDIR: placement made sure the account can reach this folder.
  const passwordFile = path.join(path.dirname(options.dataDir), `.pg-password-${randomBytes(8).toString('hex')}`);
  fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (options.account) fs.chownSync(passwordFile, options.account.uid, options.account.gid);
  try {
    const child = spawnAs(options, 'initdb', [
      `--pgdata=${options.dataDir}`,
      '--auth=password',
      `--username=${user}`,
      `--pwfile=${passwordFile}`,
      '--lc-messages=C',
    ]);
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => options.log(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exit = await exitOf(child);
    if (exit.error) throw exit.error;
    if (exit.code !== 0) throw new Error(`initdb failed (${describe(exit)}): ${stderr.trim()}`);
  } finally {
    fs.rmSync(passwordFile, { force: true });
  }
}

export interface PostgresServer {
  /** The postmaster. */
  pid: number;
  /** Settles once the postmaster has exited, stopped or not. */
  exited: Promise<unknown>;
  /** Fast shutdown (SIGINT); an immediate one (SIGQUIT) if that has not ended it in time. */
  stop(): Promise<void>;
}

/** Starts the postmaster and resolves once it accepts connections. */
export async function startServer(options: PostgresServerOptions, flags: string[]): Promise<PostgresServer> {
  const child = spawnAs(options, 'postgres', ['-D', options.dataDir, ...flags]);
  const exited = exitOf(child);
  // A server this process started must not outlive it when it exits without stopping it.
  const killOnExit = (): void => void child.kill('SIGINT');
  process.once('exit', killOnExit);
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      child.stderr?.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        options.log(text);
        output = (output + text).slice(-4000);
        if (output.includes('database system is ready to accept connections')) resolve();
      });
      void exited.then((exit) =>
        reject(exit.error ?? new Error(`PostgreSQL exited while starting (${describe(exit)}): ${output.trim()}`)),
      );
    });
  } catch (error) {
    process.removeListener('exit', killOnExit);
    throw error;
  }
  return {
    pid: child.pid!,
    exited,
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      // Within the 10 s a SIGTERM of `npm start` has for everything.
      const timer = setTimeout(() => child.kill('SIGQUIT'), 4_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function spawnAs(options: PostgresServerOptions, program: 'initdb' | 'postgres', args: string[]): ChildProcess {
  const file = path.join(options.nativeDir, 'bin', program);
  // Some package managers unpack without the execute bits; the account needs them as "other".
  const mode = fs.statSync(file).mode;
  if ((mode & 0o555) !== 0o555) fs.chmodSync(file, mode | 0o555);
  return spawn(file, args, {
    // Its own process group: a terminal's Ctrl-C must not stop it before the worker has drained.
    detached: true,
    ...(options.account ? { uid: options.account.uid, gid: options.account.gid } : {}),
    // The account may not be able to enter the current directory, which initdb would resolve.
    cwd: options.nativeDir,
    env: { ...process.env, ...LOCALE_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the program could not be run at all (e.g. EACCES). */
  error?: Error;
}

/** Never rejects: a failed spawn is an exit with `error`, so nobody is left with an unhandled rejection. */
function exitOf(child: ChildProcess): Promise<Exit> {
  return new Promise((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

function describe(exit: Exit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}
