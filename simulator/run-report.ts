import { isDeepStrictEqual } from 'node:util';
import type { DryRunExpectations, DryRunResult, DryRunStep } from '../contracts/dry-run';
import type { Json, StepPlan } from '../dsl/plan';
import type { ServerWorld } from './server-activities';
import type { ServerOutcome } from './simulated-server';

/** What a dry run shows: the path taken (from the interpreter's own timeline), values, waits. */
export function reportRun(
  outcome: ServerOutcome,
  world: ServerWorld,
  wallMs: number,
): Omit<DryRunResult, 'expectations'> {
  const at = (iso: string): number => Date.parse(iso) - outcome.startMs;
  const steps = stepsTaken(outcome, world, at);
  const calls = outcome.activities.filter((call) => !call.engine);
  const state = outcome.state;
  const waiting =
    outcome.status === 'waiting' || (outcome.status === 'failed' && outcome.error?.code === 'dry-run.budget-exceeded');
  // The interpreter holds a step in incident and waits for an operator: the run ends there.
  const incident = outcome.status === 'waiting' ? state?.incidents?.[0] : undefined;
  return {
    status: incident ? 'incident' : outcome.status,
    ...(outcome.result !== undefined ? { result: outcome.result } : {}),
    ...(incident
      ? { error: { code: incident.code, message: incident.message, stepId: incident.failedStepId } }
      : outcome.error
        ? { error: { ...outcome.error, ...failedStep(steps) } }
        : rejectionError(outcome)),
    waitingAt: waiting ? waitsOf(outcome, world) : [],
    steps,
    activities: calls.map((call) => ({
      stepId: call.stepId ?? '',
      path: call.path ?? '',
      activity: call.activity,
      params: call.params,
      ...(call.result !== undefined && !call.error ? { result: call.result } : {}),
      ...(call.error ? { error: call.error } : {}),
      generated: call.generated,
    })),
    tasks: outcome.tasks.map((task) => ({
      taskId: task.taskId,
      stepId: task.stepId,
      path: pathOfTask(task.taskId),
      title: task.title,
      ...(task.outcome !== undefined ? { outcome: task.outcome } : {}),
      ...(task.form !== undefined ? { form: task.form } : {}),
      assignee: world.assigneeOf(task.taskId),
      ...(task.actions.length > 0 ? { actions: task.actions } : {}),
    })),
    vars: state?.vars ?? {},
    timeline: outcome.timeline.map((entry) => ({
      seq: entry.seq,
      atMs: at(entry.at),
      type: entry.type,
      stepId: entry.stepId ?? null,
      path: entry.path ?? null,
      ...(entry.detail !== undefined ? { detail: entry.detail } : {}),
    })),
    virtualMs: outcome.endMs - outcome.startMs,
    wallMs,
  };
}

/**
 * One entry per step occurrence, in timeline order. `iteration` counts the occurrences of the
 * path (0 first), which is the loop counter for one level of loop.
 */
function stepsTaken(outcome: ServerOutcome, world: ServerWorld, at: (iso: string) => number): DryRunStep[] {
  const steps: DryRunStep[] = [];
  const open = new Map<string, DryRunStep[]>();
  const occurrences = new Map<string, number>();
  const inputs = valuesByPath(outcome, world);
  for (const entry of outcome.timeline) {
    if (!entry.path || !entry.stepId) continue;
    const plan = world.steps.get(entry.path);
    const kind = plan?.kind ?? (entry.detail as { kind?: string } | undefined)?.kind ?? 'unknown';
    if (entry.type === 'step.started' || entry.type === 'step.skipped') {
      const count = occurrences.get(entry.path) ?? 0;
      occurrences.set(entry.path, count + 1);
      const values = inputs.get(entry.path)?.shift();
      const step: DryRunStep = {
        stepId: entry.stepId,
        path: entry.path,
        kind,
        status: entry.type === 'step.skipped' ? 'skipped' : 'running',
        iteration: String(count),
        atMs: at(entry.at),
        ...(values?.input !== undefined ? { input: values.input } : {}),
        ...(values?.result !== undefined ? { result: values.result } : {}),
      };
      steps.push(step);
      if (entry.type === 'step.started') open.set(entry.path, [...(open.get(entry.path) ?? []), step]);
    } else if (entry.type === 'step.completed' || entry.type === 'step.failed') {
      const running = open.get(entry.path)?.shift();
      if (!running) continue;
      running.status = entry.type === 'step.completed' ? 'completed' : 'failed';
      if (entry.type === 'step.failed') running.result = entry.detail ?? null;
      else if (running.result === undefined && isLastOccurrence(running, occurrences)) {
        const value = outcome.state?.steps[entry.stepId];
        if (value !== undefined && valuesStep(plan)) running.result = value;
      }
    }
  }
  return steps;
}

function isLastOccurrence(step: DryRunStep, occurrences: Map<string, number>): boolean {
  return Number(step.iteration) === (occurrences.get(step.path) ?? 1) - 1;
}

function valuesStep(plan: StepPlan | undefined): boolean {
  return plan !== undefined && ['set', 'receive'].includes(plan.kind);
}

/** Inputs and results the server saw, per step path in occurrence order. */
function valuesByPath(outcome: ServerOutcome, world: ServerWorld): Map<string, { input?: Json; result?: Json }[]> {
  const values = new Map<string, { input?: Json; result?: Json }[]>();
  const add = (path: string | null, value: { input?: Json; result?: Json }): void => {
    if (path) values.set(path, [...(values.get(path) ?? []), value]);
  };
  for (const call of outcome.activities) {
    if (call.engine) continue;
    add(call.path, { input: call.params, ...(call.error ? {} : { result: call.result ?? null }) });
  }
  for (const task of outcome.tasks) {
    add(pathOfTask(task.taskId), {
      input: { title: task.title },
      ...(task.outcome !== undefined ? { result: { outcome: task.outcome, form: task.form ?? {} } } : {}),
    });
  }
  const childPaths = [...world.steps.values()].filter((step) => step.kind === 'process');
  for (const child of world.childCalls) {
    const path = childPaths.find((step) => step.id === child.stepId)?.path ?? null;
    add(path, {
      input: child.input,
      ...(child.answer && 'result' in child.answer ? { result: child.answer.result } : {}),
    });
  }
  return values;
}

/**
 * Task ids are `<instanceId>:<stepPath>@<iteration>` (workflows/steps/task.ts). An instance id may
 * hold colons (`quote-approval-quote.submitted-Q-1:1`), a step path none.
 */
export function pathOfTask(taskId: string): string {
  const iteration = taskId.lastIndexOf('@');
  return taskId.slice(taskId.lastIndexOf(':', iteration) + 1, iteration);
}

function failedStep(steps: DryRunStep[]): { stepId?: string } {
  const failed = [...steps].reverse().find((step) => step.status === 'failed');
  return failed ? { stepId: failed.stepId } : {};
}

function rejectionError(outcome: ServerOutcome): Pick<DryRunResult, 'error'> {
  const rejected = outcome.tasks.find((task) => task.rejection && !task.closed);
  if (!rejected) return {};
  return {
    error: {
      code: 'task.answer-rejected',
      message: `${rejected.stepId}: ${rejected.rejection}`,
      stepId: rejected.stepId,
    },
  };
}

function waitsOf(outcome: ServerOutcome, world: ServerWorld): DryRunResult['waitingAt'] {
  const waits: DryRunResult['waitingAt'] = [];
  const current = new Set(outcome.state?.currentSteps ?? []);
  for (const step of world.steps.values()) {
    if (!current.has(step.id) || !['task', 'receive', 'wait', 'process', 'call'].includes(step.kind)) continue;
    waits.push({ stepId: step.id, path: step.path, kind: step.kind, ...detailOf(step, outcome) });
  }
  return waits;
}

function detailOf(step: StepPlan, outcome: ServerOutcome): { detail?: string } {
  switch (step.kind) {
    case 'task': {
      const task = outcome.tasks.find((candidate) => candidate.stepId === step.id && !candidate.closed);
      if (task?.rejection) return { detail: `answer rejected: ${task.rejection}` };
      return { detail: task ? `task '${task.title}' open, no answer` : 'task' };
    }
    case 'receive':
      return { detail: `event '${step.event}'` };
    case 'call': {
      const call = outcome.activities.find((candidate) => candidate.stepId === step.id && candidate.retrying);
      return call ? { detail: `retrying ${step.activity}: ${call.error?.message ?? ''}` } : {};
    }
    default:
      return {};
  }
}

/** Each expectation of the scenario, checked against the run. */
export function checkExpectations(
  expect: DryRunExpectations | undefined,
  run: Omit<DryRunResult, 'expectations'>,
): DryRunResult['expectations'] {
  if (!expect) return [];
  const checks: DryRunResult['expectations'] = [];
  const check = (what: string, ok: boolean, message: string): void => {
    checks.push({ what, ok, message: ok ? 'as expected' : message });
  };
  if (expect.status !== undefined)
    check('status', run.status === expect.status, `expected ${expect.status}, was ${run.status}`);
  if (expect.result !== undefined) {
    check(
      'result',
      isDeepStrictEqual(run.result, expect.result),
      `expected ${JSON.stringify(expect.result)}, was ${JSON.stringify(run.result ?? null)}`,
    );
  }
  const ran = new Set(run.steps.filter((step) => step.status !== 'skipped').map((step) => step.stepId));
  for (const stepId of expect.reached ?? []) check(`reached ${stepId}`, ran.has(stepId), `step ${stepId} did not run`);
  for (const stepId of expect.notReached ?? []) check(`not reached ${stepId}`, !ran.has(stepId), `step ${stepId} ran`);
  for (const [name, value] of Object.entries(expect.vars ?? {})) {
    check(
      `vars.${name}`,
      isDeepStrictEqual(run.vars[name], value),
      `expected ${JSON.stringify(value)}, was ${JSON.stringify(run.vars[name] ?? null)}`,
    );
  }
  return checks;
}

/**
 * Whether a saved scenario holds: every expectation held, and the run did not fail unless the
 * scenario expects it to (a budget overrun or an unexpected failure or incident never passes).
 */
export function scenarioHeld(expect: DryRunExpectations | undefined, result: DryRunResult): boolean {
  if (!result.expectations.every((check) => check.ok)) return false;
  if (result.error?.code === 'dry-run.budget-exceeded') return false;
  if (result.status === 'failed' || result.status === 'incident') return expect?.status === result.status;
  return true;
}
