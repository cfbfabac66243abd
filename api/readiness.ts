/** A check resolves when its dependency answers and throws (or rejects) when it does not. */
export interface ReadinessChecks {
  database: () => Promise<void>;
  temporal: () => Promise<void>;
  /** Resolves when some worker polls the task queue; unset: not checked (tests without a worker). */
  worker?: () => Promise<void>;
  /** The state of each embedded server `npm start` supervises; unset or empty: none (all external). */
  services?: () => Record<string, EmbeddedServiceState>;
}

export type EmbeddedServiceState = 'up' | 'restarting' | 'down';
export type DependencyName = 'database' | 'temporal' | 'worker';
// Fixed rather than Object.keys(checks): an object with extra members must not add probes.
const DEPENDENCIES: readonly DependencyName[] = ['database', 'temporal', 'worker'];
export type CheckOutcome = 'ok' | 'failed';

export interface ReadinessReport {
  ready: boolean;
  checks: Partial<Record<DependencyName, CheckOutcome>>;
  /** Present when the process supervises embedded servers. */
  services?: Record<string, EmbeddedServiceState>;
  /** One entry per failed dependency, e.g. `temporal unreachable (connect ECONNREFUSED)`. */
  failures: string[];
}

// Driver messages can be long (stack-like dumps); a probe reply only needs the gist.
const MAX_REASON_LENGTH = 200;

class CheckTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > MAX_REASON_LENGTH ? `${message.slice(0, MAX_REASON_LENGTH)}…` : message;
}

// A hung connection must not hang the probe: orchestrators treat a slow probe as a failed one anyway.
async function runWithTimeout(check: () => Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeoutError(timeoutMs)), timeoutMs);
  });
  try {
    // Promise.resolve().then() turns a synchronous throw into a rejection.
    await Promise.race([Promise.resolve().then(check), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every check at once, so the probe takes as long as the slowest check, not their sum. */
export async function checkReadiness(checks: ReadinessChecks, timeoutMs: number): Promise<ReadinessReport> {
  const names = DEPENDENCIES.filter((name) => checks[name] !== undefined);
  const before = checks.services?.() ?? {};
  const settled = await Promise.allSettled(names.map((name) => runWithTimeout(checks[name]!, timeoutMs)));
  const report: ReadinessReport = { ready: true, checks: {}, failures: [] };
  // A server that was restarting while the checks ran is reported so even if it is back by now
  // (the checks may have failed because of it), and one that fell over meanwhile as well.
  const after = checks.services?.() ?? {};
  const services = Object.fromEntries(
    Object.entries(after).map(([name, state]) => [
      name,
      before[name] !== undefined && before[name] !== 'up' ? before[name] : state,
    ]),
  );
  if (Object.keys(services).length > 0) report.services = services;
  for (const [name, state] of Object.entries(services)) {
    if (state === 'up') continue;
    report.ready = false;
    report.failures.push(`embedded ${name} server ${state}`);
  }
  settled.forEach((result, index) => {
    const name = names[index] as DependencyName;
    report.checks[name] = 'ok';
    if (result.status === 'rejected') {
      report.ready = false;
      report.checks[name] = 'failed';
      const verb = result.reason instanceof CheckTimeoutError ? 'timed out' : 'unreachable';
      report.failures.push(`${name} ${verb} (${reasonOf(result.reason)})`);
    }
  });
  return report;
}
