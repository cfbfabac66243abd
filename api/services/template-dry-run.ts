import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyBaseLogger } from 'fastify';
import type { DryRunResult, DryRunScenario } from '../../contracts/dry-run';
import type { ProcessPlan } from '../../dsl/plan';
import { dryRun } from '../../simulator/dry-run';
import { closeWorkflowCreator, workflowCreator } from '../../simulator/workflow-vm';
import type { EngineContext } from '../engine-deps';
import { ProblemError } from '../problem-error';
import { assertCompiled, compileAgainstRegistry } from './template-compiler';
import { assertTemplateKey } from './template-publishing';

/** Budgets of one dry run requested over HTTP: a loop without end comes back as an error in the result. */
export const HTTP_DRY_RUN_BUDGET = { maxActivations: 5_000, wallBudgetMs: 5_000, maxRuns: 20 };

/**
 * Wall-clock budget of one request running every saved scenario (up to 100): the scenarios left
 * when it runs out come back as budget failures instead of holding the request for minutes.
 */
export const SAVED_SCENARIOS_WALL_BUDGET_MS = 20_000;

/**
 * Starts bundling the interpreter for dry runs in the background, so the first designer does not
 * wait for it; a failure is only logged (the first dry run tries again).
 */
export function warmDryRuns(log: Pick<FastifyBaseLogger, 'warn'>): void {
  workflowCreator().catch((error: unknown) => log.warn({ err: error }, 'dry runs: bundling the interpreter failed'));
}

/** Ends the thread dry runs execute in (the API is closing). */
export async function stopDryRuns(): Promise<void> {
  await closeWorkflowCreator();
}

/** The YAML to dry-run: the body's, or the template's draft, or its newest published version. */
export async function dryRunSource(
  ctx: EngineContext,
  em: EntityManager,
  key: string,
  source: string | undefined,
): Promise<string> {
  if (source) return source;
  const draft = await ctx.templates.getDraft(em, key);
  if (draft) return draft.source;
  const latest = await ctx.templates.latest(em, key);
  if (latest) return latest.source;
  throw new ProblemError({
    status: 404,
    type: 'template-not-found',
    title: 'Not Found',
    detail: `No draft or version of '${key}' and no source in the body.`,
  });
}

/** Compiles the source as validate does: 422 `template-invalid` with the diagnostics. */
export async function compileForDryRun(
  ctx: EngineContext,
  em: EntityManager,
  key: string,
  source: string,
): Promise<ProcessPlan> {
  const plan = assertCompiled(await compileAgainstRegistry(ctx, em, source), `Template '${key}'`);
  assertTemplateKey(plan, key);
  return plan;
}

/**
 * One dry run in the API process: children's templates resolve through the registry as
 * engine.resolveTemplate does (the newest published version; none → `template.not-found`).
 */
export async function runDryRun(
  ctx: EngineContext,
  plan: ProcessPlan,
  scenario: DryRunScenario,
  wallBudgetMs = HTTP_DRY_RUN_BUDGET.wallBudgetMs,
): Promise<DryRunResult> {
  return dryRun(plan, scenario, {
    ...HTTP_DRY_RUN_BUDGET,
    wallBudgetMs: Math.max(0, Math.min(wallBudgetMs, HTTP_DRY_RUN_BUDGET.wallBudgetMs)),
    resolveTemplate: async (key) => {
      const latest = await ctx.templates.latest(ctx.orm.em.fork(), key);
      return latest ? (latest.plan as unknown as ProcessPlan) : null;
    },
  });
}
