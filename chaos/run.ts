import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { actOnce, type ActorCounts } from './actor';
import { auditRun } from './audit';
import { startChaosEnvironment, type ChaosEnvironment } from './environment';
import { planFaults, type FaultTarget, type PlannedFault } from './fault-schedule';
import { openSql, type Sql } from './sql';
import { customersWithEmail, postBurst, type AcceptedCreate } from './workload';

/*
 * `npm run chaos`: the product as separate processes, a burst of the built-in processes driven
 * through its API while a seeded schedule SIGKILLs the worker, the API, Temporal and PostgreSQL
 * and holds SMTP down, then an audit of what it left. Exit code 1 on any finding. README, "Chaos".
 */

interface FaultRecord extends PlannedFault {
  killedAt: string;
  /** How long starting it again took once its down time was over. */
  restartMs: number;
  error?: string;
}

const env = (name: string, fallback: number): number => {
  const text = process.env[name]?.trim();
  const value = text ? Number(text) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name}=${text} must be a number, at least 0`);
  return value;
};

const settings = {
  seed: env('CHAOS_SEED', 1),
  burst: env('CHAOS_BURST', 30),
  concurrency: env('CHAOS_CONCURRENCY', 4),
  workers: Math.max(1, env('CHAOS_WORKERS', 2)),
  kills: env('CHAOS_KILLS', 5),
  windowMs: env('CHAOS_DURATION', 90) * 1000,
  downMs: { min: env('CHAOS_DOWN_MIN', 3) * 1000, max: env('CHAOS_DOWN_MAX', 15) * 1000 },
  smtpHoldMs: env('CHAOS_SMTP_HOLD', 30) * 1000,
  deadlineMs: env('CHAOS_DEADLINE', 900) * 1000,
  targets: (process.env.CHAOS_TARGETS ?? 'worker,api,temporal,postgres,smtp')
    .split(',')
    .map((t) => t.trim()) as FaultTarget[],
  report: process.env.CHAOS_REPORT ?? path.resolve('data', 'chaos', `report-seed-${env('CHAOS_SEED', 1)}.json`),
};

async function main(): Promise<number> {
  const started = Date.now();
  const deadline = started + settings.deadlineMs;
  const logger = pino({ level: process.env.CHAOS_LOG_LEVEL ?? 'info' });
  const say = (message: string): void => logger.info(`chaos: ${message}`);
  const faults = planFaults(settings);
  say(
    `seed ${settings.seed}: ${settings.burst} creates, ${settings.workers} workers, faults ${faults.map((f) => `${f.component}@${Math.round(f.atMs / 1000)}s/${Math.round(f.downMs / 1000)}s`).join(', ') || 'none'}`,
  );

  const environment = await startChaosEnvironment(logger, settings.workers);
  const startupMs = Date.now() - started;
  say(`product up in ${Math.round(startupMs / 1000)} s under ${environment.workDir}`);
  const db = await openSql(environment.ownerDatabaseUrl);
  try {
    const { sql } = db;
    // The warehouse keeps up: in-stock orders end delivered without a supplier in the loop.
    await sql(`update stock set on_hand = on_hand + 100000 where product_id = 'P-ERP-STD'`);
    const customers = await customersWithEmail(sql);
    const runId = `${settings.seed}-${Date.now().toString(36)}`;
    const burstStarted = Date.now();

    const faultRecords: FaultRecord[] = [];
    const faultsDone = runFaults(environment, faults, burstStarted, faultRecords, say);
    const burst = postBurst({
      apiUrl: environment.apiUrl,
      runId,
      burst: settings.burst,
      concurrency: settings.concurrency,
      customers,
      spreadMs: settings.windowMs,
      deadline,
    });
    const counts: ActorCounts = {
      tasksCompleted: 0,
      deliveriesConfirmed: 0,
      ticketsConfirmed: 0,
      surveysAnswered: 0,
      failedCalls: 0,
    };
    let burstDone = false;
    let faultsOver = false;
    void burst.then(() => (burstDone = true));
    void faultsDone.then(() => (faultsOver = true));
    let accepted: AcceptedCreate[] = [];
    let finished = false;
    while (Date.now() < deadline) {
      await actOnce(sql, environment.apiUrl, counts).catch(() => undefined);
      if (burstDone && faultsOver) {
        accepted = (await burst).accepted;
        finished = await allFinished(sql, accepted).catch(() => false);
        if (finished) break;
      }
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    const { accepted: finalAccepted, rejected } = await burst;
    accepted = finalAccepted;
    await faultsDone;
    const settledMs = Date.now() - burstStarted;
    say(
      finished
        ? `everything finished ${Math.round(settledMs / 1000)} s after the burst began`
        : 'DEADLINE reached before everything finished',
    );

    const audit = await auditRun(sql, environment.mailDir, accepted);
    if (!finished) audit.findings.unshift(`stuck: not finished within CHAOS_DEADLINE=${settings.deadlineMs / 1000} s`);
    for (const r of rejected)
      audit.findings.push(
        `lost: ${r.kind} #${r.index} was refused (${r.status}): ${JSON.stringify(r.body).slice(0, 200)}`,
      );
    const serverErrors = accepted.flatMap((a) => a.transientStatuses).filter((s) => s === 500).length;
    if (serverErrors > 0)
      audit.findings.push(
        `client: ${serverErrors} creates were answered 500 (not 503 + Retry-After) before succeeding`,
      );

    const report = {
      settings: { ...settings, report: undefined },
      durationMs: Date.now() - started,
      startupMs,
      settledMs,
      faults: faultRecords,
      unplannedExits: environment.unplannedExits,
      creates: {
        accepted: accepted.length,
        rejected: rejected.length,
        retried: accepted.filter((a) => a.attempts > 1).length,
        transientAnswers: countBy(accepted.flatMap((a) => a.transientStatuses.map(String))),
      },
      actions: counts,
      outcomes: audit.outcomes,
      findings: audit.findings,
    };
    fs.mkdirSync(path.dirname(settings.report), { recursive: true });
    fs.writeFileSync(settings.report, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(
      `\nChaos run, seed ${settings.seed}: ${accepted.length} creates, ${faultRecords.length} faults, ` +
        `${Math.round(report.durationMs / 1000)} s\n` +
        `  faults: ${faultRecords.map((f) => `${f.component} down ${Math.round(f.downMs / 1000)} s${f.error ? ` (${f.error})` : ''}`).join(', ') || 'none'}\n` +
        `  unplanned exits: ${environment.unplannedExits.map((e) => e.name).join(', ') || 'none'}\n` +
        `  instances: ${JSON.stringify(audit.outcomes.instances)}\n` +
        `  records: ${JSON.stringify(audit.outcomes.records)}\n` +
        `  mail: ${JSON.stringify(audit.outcomes.mail)}\n` +
        `  findings (${audit.findings.length}):\n${audit.findings.map((f) => `    - ${f}`).join('\n') || '    none'}\n` +
        `  report: ${settings.report}\n`,
    );
    return audit.findings.length === 0 ? 0 : 1;
  } finally {
    await db.close().catch(() => undefined);
    await environment.stop();
  }
}

/** Runs the planned faults one after the other: kill at its time, start again after its down time. */
async function runFaults(
  environment: ChaosEnvironment,
  faults: PlannedFault[],
  since: number,
  records: FaultRecord[],
  say: (message: string) => void,
): Promise<void> {
  for (const fault of faults) {
    const wait = since + fault.atMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const component = environment.components.get(fault.component)!;
    const record: FaultRecord = { ...fault, killedAt: new Date().toISOString(), restartMs: 0 };
    records.push(record);
    try {
      say(`SIGKILL ${fault.component} for ${Math.round(fault.downMs / 1000)} s`);
      await component.kill();
      await new Promise((resolve) => setTimeout(resolve, fault.downMs));
      const restarting = Date.now();
      await component.start();
      record.restartMs = Date.now() - restarting;
      say(`${fault.component} back after ${Math.round(record.restartMs / 1000)} s of starting`);
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error);
      say(`${fault.component}: ${record.error}`);
    }
  }
}

/** Every accepted create in its final state and nothing left open anywhere. */
async function allFinished(sql: Sql, accepted: AcceptedCreate[]): Promise<boolean> {
  const [row] = await sql<{ open: string }>(
    `select (select count(*) from process_instance where status <> 'completed')
          + (select count(*) from task where status = 'open')
          + (select count(*) from mail_outbox where status <> 'sent')
          + (select count(*) from process_event where dispatched_at is null)
          + (select count(*) from survey_invitations where status in ('sent', 'reminded')) as open`,
  );
  if (Number(row?.open ?? 1) > 0) return false;
  const [instances] = await sql<{ n: string }>(`select count(*) as n from process_instance`);
  return Number(instances?.n ?? 0) >= accepted.length;
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
