import type { DryRunResult, DryRunScenario } from '../contracts/dry-run';
import type { Json, ProcessPlan } from '../dsl/plan';
import type { RunProcessInput } from '../workflows/messages';
import { sampleResultOf } from './result-sample';
import { ServerWorld, type WorldOptions } from './server-activities';
import { checkExpectations, reportRun } from './run-report';

export { scenarioHeld } from './run-report';
import { SimulatedServer, type ServerOutcome } from './simulated-server';
import { workflowCreator } from './workflow-vm';

export interface DryRunOptions {
  resolveTemplate?: WorldOptions['resolveTemplate'];
  sampleResult?: WorldOptions['sampleResult'];
  /** Default 5 000 activations, 5 s of wall clock, 20 runs of continue-as-new. */
  maxActivations?: number;
  wallBudgetMs?: number;
  maxRuns?: number;
  /** Tuning passed to the interpreter as a real start would (tests lower continue-as-new). */
  runOptions?: RunProcessInput['options'];
  /** The instance id the interpreter sees (task ids derive from it); default `dry-run-<key>`. */
  instanceId?: string;
  /** A run of an earlier one: the carried state, as continue-as-new passes it. */
  carried?: RunProcessInput['carried'];
}

const START_AT = '2026-01-05T09:00:00.000Z';

/**
 * Runs a compiled plan on the real interpreter (workflows/run-process.ts, in @temporalio/worker's
 * VM runtime) against a scenario, with no Temporal server and no side effects.
 */
export async function dryRun(
  plan: ProcessPlan,
  scenario: DryRunScenario,
  options: DryRunOptions = {},
): Promise<DryRunResult> {
  const { outcome, world, wallMs } = await simulate(plan, scenario, options);
  const run = reportRun(outcome, world, wallMs);
  return { ...run, expectations: checkExpectations(scenario.expect, run) };
}

/** The run as the simulated server saw it (every command, engine activities included). */
export async function simulate(
  plan: ProcessPlan,
  scenario: DryRunScenario,
  options: DryRunOptions = {},
): Promise<{ outcome: ServerOutcome; world: ServerWorld; wallMs: number }> {
  // The first run of the process bundles the interpreter: not part of any run's budget.
  await workflowCreator();
  const started = performance.now();
  const world = new ServerWorld(plan, scenario, {
    resolveTemplate: options.resolveTemplate ?? stubTemplate,
    sampleResult: options.sampleResult ?? sampleResultOf,
  });
  const startMs = Date.parse(scenario.startAt ?? START_AT);
  const server = new SimulatedServer(
    world,
    {
      maxActivations: options.maxActivations ?? 5_000,
      deadline: Date.now() + (options.wallBudgetMs ?? 5_000),
      maxRuns: options.maxRuns ?? 20,
    },
    startMs,
    options.instanceId ?? `dry-run-${plan.key}`,
    scenario.cancelAfterMs,
  );
  const outcome = await server.run({
    plan,
    input: scenario.input as Json,
    ...(options.carried ? { carried: options.carried } : {}),
    ...(options.runOptions ? { options: options.runOptions } : {}),
  });
  return { outcome, world, wallMs: Math.round((performance.now() - started) * 10) / 10 };
}

/** A child is answered from the scenario, so its plan only travels in the start command. */
async function stubTemplate(key: string): Promise<ProcessPlan> {
  return {
    planVersion: 1,
    key,
    name: key,
    version: 0,
    hash: '',
    inputSchema: {},
    triggers: [],
    vars: {},
    steps: [],
  };
}
