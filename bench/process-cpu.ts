import fs from 'node:fs';

/** CPU time in milliseconds, split by who spent it. */
export interface CpuSample {
  /** This process: the worker (and the bench's own client calls, the same for both sides). */
  worker: number;
  /** The Temporal dev server. */
  temporal: number;
  /** PostgreSQL: the postmaster and its backends. */
  postgres: number;
  /** Any other process this one started: the product process of `leads` (bench/product-process.ts). */
  others: number;
}

/** Clock ticks per second of /proc/<pid>/stat; 100 on every Linux this runs on (`getconf CLK_TCK`). */
const TICKS_PER_SECOND = 100;

/**
 * CPU spent so far by this process and by the embedded servers it started (its descendants,
 * read from /proc). utime+stime plus the reaped children's cutime+cstime, so a PostgreSQL
 * backend that exited between two samples is still counted, in its parent.
 */
export function sampleCpu(): CpuSample {
  const own = process.cpuUsage();
  const sample: CpuSample = { worker: (own.user + own.system) / 1000, temporal: 0, postgres: 0, others: 0 };
  for (const proc of descendantsOf(process.pid)) {
    const ms = ((proc.utime + proc.stime + proc.cutime + proc.cstime) * 1000) / TICKS_PER_SECOND;
    if (proc.comm.startsWith('temporal')) sample.temporal += ms;
    else if (proc.comm.startsWith('postgres')) sample.postgres += ms;
    else sample.others += ms;
  }
  return sample;
}

/**
 * With BENCH_PROFILE_WINDOWS set, prints the stretch of a measurement as `window <label> <from>-<to>`
 * in CLOCK_MONOTONIC microseconds, the clock of a `node --cpu-prof` profile's samples in every
 * process of the machine, so that `bench/cpu-profile-summary.ts <profile> <top> <from>-<to>,…`
 * keeps only what that measurement cost. Returns the function that ends the stretch.
 */
export function profileWindow(label: string): () => void {
  if (!process.env.BENCH_PROFILE_WINDOWS) return () => {};
  const from = process.hrtime.bigint() / 1000n;
  return () => console.log(`window ${label} ${from}-${process.hrtime.bigint() / 1000n}`);
}

/** A sample whose every share is `share(key)`: a difference, a share per instance or per lead. */
export function cpuOf(share: (key: keyof CpuSample) => number): CpuSample {
  return { worker: share('worker'), temporal: share('temporal'), postgres: share('postgres'), others: share('others') };
}

export function cpuBetween(before: CpuSample, after: CpuSample): CpuSample {
  return cpuOf((key) => after[key] - before[key]);
}

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  utime: number;
  stime: number;
  cutime: number;
  cstime: number;
}

function descendantsOf(root: number): ProcStat[] {
  const all: ProcStat[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) all.push(stat);
  }
  const children = new Map<number, ProcStat[]>();
  for (const stat of all) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
  const found: ProcStat[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift()!;
    found.push(next);
    queue.push(...(children.get(next.pid) ?? []));
  }
  return found;
}

function readStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null; // exited while we looked
  }
  // The command name is in parentheses and may itself contain spaces or parentheses.
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  // fields[0] is field 3 (state) of proc(5): ppid is field 4, utime..cstime fields 14..17.
  return {
    pid,
    comm: text.slice(open + 1, close),
    ppid: Number(fields[1]),
    utime: Number(fields[11]),
    stime: Number(fields[12]),
    cutime: Number(fields[13]),
    cstime: Number(fields[14]),
  };
}
