import type { EntityManager } from '@mikro-orm/postgresql';
import { createDiagnostic, toLocated } from '../../dsl/diagnostics';
import type { ProcessPlan } from '../../dsl/plan';
import { calledTemplates } from '../../dsl/template-calls';
import { ROLE_NAMES } from '../../contracts/roles';
import type { EngineContext } from '../engine-deps';
import { ProblemError } from '../problem-error';
import { CompileBudgetError } from './template-compile/compile-pool';
import type { LocatedDiagnostic } from '../schemas/templates';

export interface CompileOutcome {
  plan: ProcessPlan | undefined;
  diagnostics: LocatedDiagnostic[];
}

/**
 * Compiles YAML against the activity catalog and the newest published version of every other
 * template (for `process` steps and recursion between templates), in a worker thread of
 * `ctx.compiler`. A compile that runs out of its time or memory budget comes back as a
 * `limit.compile-budget` diagnostic: a draft is still saved, validate and publish answer 422.
 */
export async function compileAgainstRegistry(
  ctx: EngineContext,
  em: EntityManager,
  source: string,
): Promise<CompileOutcome> {
  const calls: Record<string, string[]> = {};
  for (const [key, plan] of await ctx.templates.latestPlans(em)) calls[key] = calledTemplates(plan);
  // Every role the product defines, and any a user holds: a template may name a role nobody holds yet.
  const roles = [...new Set([...ROLE_NAMES, ...(await ctx.users.listRoles(em))])];
  try {
    const { plan, diagnostics } = await ctx.compiler.compile({ source, roles, calls });
    return { plan, diagnostics };
  } catch (error) {
    if (!(error instanceof CompileBudgetError)) throw error;
    const overrun = createDiagnostic('limit.compile-budget', '', [0, 0], error.message);
    return { plan: undefined, diagnostics: [toLocated(overrun, source)] };
  }
}

export function assertCompiled(outcome: CompileOutcome, what: string): ProcessPlan {
  const errors = outcome.diagnostics.filter((d) => d.severity === 'error');
  if (!outcome.plan || errors.length > 0) {
    throw new ProblemError({
      status: 422,
      type: 'template-invalid',
      title: 'Unprocessable Content',
      detail: `${what} has ${errors.length} error(s): ${errors
        .slice(0, 3)
        .map((d) => `${d.path} (line ${d.line}, col ${d.column}): ${d.message}`)
        .join('; ')}${errors.length > 3 ? '; …' : ''}`,
      extensions: { diagnostics: outcome.diagnostics },
    });
  }
  return outcome.plan;
}
