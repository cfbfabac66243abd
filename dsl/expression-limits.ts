import type { Environment } from '@marcbachmann/cel-js';
import { countAstNodes, estimateExpressionCost } from './cel/cost';
import { createCelEnvironment } from './cel/environment';
import { createDiagnostic, type Diagnostic } from './diagnostics';
import type { TemplateLimits } from './limits';
import type { ExpressionSite } from './model';
import type { ParsedTemplate } from './parse';
import { formatPath } from './path';

export type ExpressionLimits = Pick<TemplateLimits, 'maxExpressionLength' | 'maxExpressionNodes' | 'maxExpressionCost'>;

/**
 * Reports every expression over a size or cost limit and returns the others. The type checker
 * then sees only expressions within the limits: one diagnostic per expression, not two.
 * An expression that does not parse is left to the type checker, which says why.
 */
export function screenExpressions(
  sites: readonly ExpressionSite[],
  parsed: ParsedTemplate,
  limits: ExpressionLimits,
  diagnostics: Diagnostic[],
): ExpressionSite[] {
  let environment: Environment | undefined;
  return sites.filter((site) => {
    const report = (code: Diagnostic['code'], message: string) => {
      const range = parsed.rangeInside(site.path, site.source, 0, site.source.length);
      diagnostics.push(createDiagnostic(code, formatPath(site.path), range, message));
      return false;
    };
    if (site.source.length > limits.maxExpressionLength) {
      return report(
        'limit.expression-length',
        `the expression has ${site.source.length} characters, more than ${limits.maxExpressionLength}; compute parts of it in earlier set steps`,
      );
    }
    let ast: unknown;
    try {
      environment ??= createCelEnvironment();
      ast = environment.parse(site.source).ast;
    } catch {
      return true;
    }
    const nodes = countAstNodes(ast);
    if (nodes > limits.maxExpressionNodes) {
      return report(
        'limit.expression-nodes',
        `the expression has ${nodes} syntax nodes, more than ${limits.maxExpressionNodes}; compute parts of it in earlier set steps`,
      );
    }
    const cost = estimateExpressionCost(ast);
    if (cost > limits.maxExpressionCost) {
      return report(
        'limit.expression-cost',
        `evaluating the expression could cost about ${formatCost(cost)} units, more than ${limits.maxExpressionCost} (nested loops over lists, or values doubled again and again); loop over fewer or smaller lists`,
      );
    }
    return true;
  });
}

function formatCost(cost: number): string {
  return Number.isFinite(cost) && cost < 1e15 ? String(Math.round(cost)) : cost.toExponential(1);
}
