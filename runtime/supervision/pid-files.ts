import fs from 'node:fs';
import path from 'node:path';

/** What `DATA_DIR/run/<service>.pid` records about one running embedded server. */
export interface PidRecord {
  /** The server's process (the leader of its own process group unless `scope` is `process`). */
  pid: number;
  /** The `npm start` process that supervises it. */
  owner: number;
  /** Text its command line contains (its data folder or port): a reused pid is not taken for it. */
  marker: string;
  signal: NodeJS.Signals;
  scope: 'group' | 'process';
}

export class DataDirInUseError extends Error {
  constructor(dataDir: string, owner: number) {
    super(`DATA_DIR ${dataDir} is in use by process ${owner}: stop it first, or set DATA_DIR to another folder.`);
    this.name = 'DataDirInUseError';
  }
}

export function pidFilePath(dataDir: string, service: string): string {
  return path.join(dataDir, 'run', `${service}.pid`);
}

export function writePidFile(file: string, record: PidRecord): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(record)}\n`);
}

export function removePidFile(file: string): void {
  fs.rmSync(file, { force: true });
}

/**
 * Stops the server a previous start on this data folder left running (its parent was SIGKILLed
 * along with the watchdog, or the machine's process manager killed the whole group): the next
 * start would otherwise fail on the port. A record whose owner is still alive is another start
 * running on the same folder, which is refused instead. Returns the pid stopped, if any.
 */
export async function stopLeftover(file: string, dataDir: string): Promise<number | null> {
  const record = readPidFile(file);
  if (record === null) return null;
  if (record.owner !== process.pid && isAlive(record.owner) && commandLine(record.owner).includes('start'))
    throw new DataDirInUseError(dataDir, record.owner);
  if (!isAlive(record.pid) || !commandLine(record.pid).includes(record.marker)) {
    removePidFile(file);
    return null;
  }
  const target = record.scope === 'group' ? -record.pid : record.pid;
  signal(target, record.signal);
  const deadline = Date.now() + 10_000;
  while (isAlive(record.pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (isAlive(record.pid)) signal(target, 'SIGKILL');
  while (isAlive(record.pid)) await new Promise((resolve) => setTimeout(resolve, 100));
  removePidFile(file);
  return record.pid;
}

function readPidFile(file: string): PidRecord | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as PidRecord;
  } catch {
    // Absent, or cut short by a crash while written: nothing can be known from it.
    return null;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !commandLine(pid).startsWith('<zombie>');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function commandLine(pid: number): string {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    if (/^State:\s+Z/m.test(status)) return '<zombie>';
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

function signal(target: number, name: NodeJS.Signals): void {
  try {
    process.kill(target, name);
  } catch {
    // already gone
  }
}
