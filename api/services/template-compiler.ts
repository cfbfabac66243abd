import type { EntityManager } from '@mikro-orm/postgresql';
import { compileTemplate } from '../../dsl/compile';
import { toLocated } from '../../dsl/diagnostics';
import type { ProcessPlan } from '../../dsl/plan';
import { calledTemplates } from '../../dsl/template-calls';
import { ROLE_NAMES } from '../../contracts/roles';
import type { EngineContext } from '../engine-deps';
import { ProblemError } from '../problem-error';
import type { LocatedDiagnostic } from '../schemas/templates';

export interface CompileOutcome {
  plan: ProcessPlan | undefined;
  diagnostics: LocatedDiagnostic[];
}

/**
 * Compiles YAML against the activity catalog and the newest published version of every other
 * template (for `process` steps and recursion between templates).
 */
export async function compileAgainstRegistry(
  ctx: EngineContext,
  em: EntityManager,
  source: string,
): Promise<CompileOutcome> {
  const published = new Map<string, string[]>();
  for (const [key, plan] of await ctx.templates.latestPlans(em)) published.set(key, calledTemplates(plan));
  // Every role the product defines, and any a user holds: a template may name a role nobody holds yet.
  const roles = [...new Set([...ROLE_NAMES, ...(await ctx.users.listRoles(em))])];
  const result = compileTemplate(source, {
    catalog: ctx.catalog,
    roles,
    resolveTemplateCalls: (key: string) => published.get(key),
  });
  return { plan: result.plan, diagnostics: result.diagnostics.map((d) => toLocated(d, source)) };
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
