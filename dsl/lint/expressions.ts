import type { LintRule } from './rule';

/**
 * Every expression is parsed and type-checked where it stands: against the input schema, the
 * result schemas of the steps that have certainly run before it, the variables set by then, and
 * the locals of its place (forEach item, receive payload). Problems land on the expression's own
 * column inside the YAML string.
 */
export const expressions: LintRule = {
  name: 'expressions',
  codes: [
    'expr.syntax',
    'expr.type',
    'expr.unknown-reference',
    'expr.not-yet-run',
    'task.unknown-outcome',
    'call.invalid-params',
  ],
  check({ model, checker, names, parsed, report }) {
    for (const site of model.expressions) {
      const { problems } = checker.check(site.source, site.scope, names, site.expect);
      for (const problem of problems) {
        const fix = problem.fix;
        // The fix's offsets hold only where the expression reads what the checker saw there.
        const fits = fix !== undefined && site.source.slice(fix.start, fix.end) === fix.from;
        report(problem.code, site.path, problem.message, {
          range: parsed.rangeInside(site.path, site.source, problem.start, problem.end),
          fix: fits
            ? { from: fix.from, to: fix.to, range: parsed.rangeInside(site.path, site.source, fix.start, fix.end) }
            : undefined,
        });
      }
    }
  },
};
