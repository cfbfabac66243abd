import type { ActivityCatalog } from './activity-contract';
import { ExpressionChecker, type TemplateNames } from './cel/check';
import { EMPTY_SCOPE, extendScope, withStepError } from './cel/scope-types';
import type { JsonSchema } from './cel/schema-types';
import { checkTemplateSchema } from './check-schema';
import { createDiagnostic, hasErrors, replacementFix, sortDiagnostics, type Diagnostic } from './diagnostics';
import { screenExpressions } from './expression-limits';
import { DEFAULT_RUNTIME_LIMITS, DEFAULT_TEMPLATE_LIMITS, type RuntimeLimits, type TemplateLimits } from './limits';
import { LINT_RULES, type LintContext } from './lint';
import type { TemplateModel } from './model';
import { parseTemplate, type ParsedTemplate } from './parse';
import { formatPath } from './path';
import type { ProcessPlan, ValueTemplate } from './plan';
import { sha256Hex } from './sha256';
import { isRecord } from './steps/step-kind';
import { TemplateWalker } from './template-walker';

export interface CompileOptions {
  /** The activity allow-list (ACTIVITY_CATALOG in production). */
  catalog: ActivityCatalog;
  /**
   * The template keys that template `key`'s `process` steps call, or undefined when no template
   * has that key. Used to find cycles (A → B → A) and unknown child templates; without it only a
   * template calling itself is found. `listTemplateCalls` gives a template's calls from its source.
   */
  resolveTemplateCalls?: (key: string) => readonly string[] | undefined;
  /** Role names that exist; when given, literal roles in candidates and escalations are checked. */
  roles?: readonly string[];
  /** The version number the plan carries (default 0: a draft, not yet published). */
  version?: number;
  /** How the content hash is computed (default: SHA-256 hex of the source, in pure JS). */
  hash?: (source: string) => string;
  /** Size and cost limits of the template (default {@link DEFAULT_TEMPLATE_LIMITS}). */
  limits?: Partial<TemplateLimits>;
  /** The budgets the plan carries to run time (default {@link DEFAULT_RUNTIME_LIMITS}). */
  runtimeLimits?: Partial<RuntimeLimits>;
}

export interface CompileResult {
  /** Present only when there are no errors (warnings allowed). */
  plan?: ProcessPlan;
  /** Every problem found, in source order: YAML, schema, compile and lint stages together. */
  diagnostics: Diagnostic[];
}

/**
 * Compiles a template's YAML into its execution plan. Never throws on user input: YAML errors
 * stop at the YAML stage (there is no tree to check); otherwise the schema check, the walk and
 * every lint rule run, so all problems come back at once.
 */
export function compileTemplate(source: string, options: CompileOptions): CompileResult {
  const limits = { ...DEFAULT_TEMPLATE_LIMITS, ...options.limits };
  const parsed = parseTemplate(source, limits);
  if (hasErrors(parsed.diagnostics)) return { diagnostics: sortDiagnostics(parsed.diagnostics) };
  const diagnostics = [...parsed.diagnostics];
  let plan: ProcessPlan | undefined;
  try {
    plan = compileParsed(parsed, options, limits, diagnostics);
  } catch (error) {
    diagnostics.push(
      createDiagnostic(
        'internal.error',
        '',
        [0, 0],
        `the compiler failed unexpectedly (${error instanceof Error ? error.message : String(error)}); please report this template`,
      ),
    );
  }
  sortDiagnostics(diagnostics);
  return hasErrors(diagnostics) || !plan ? { diagnostics } : { plan, diagnostics };
}

function compileParsed(
  parsed: ParsedTemplate,
  options: CompileOptions,
  limits: TemplateLimits,
  diagnostics: Diagnostic[],
): ProcessPlan | undefined {
  const template = isRecord(parsed.value) ? parsed.value : {};
  const inputSchema = (isRecord(template.input) ? template.input : { type: 'object' }) as JsonSchema;
  const model: TemplateModel = {
    ...(typeof template.key === 'string' ? { key: template.key } : {}),
    inputSchema,
    catalog: options.catalog,
    steps: [],
    sequences: [],
    expressions: [],
    durations: [],
  };
  const checker = new ExpressionChecker(inputSchema);
  const walker = new TemplateWalker(parsed, model, checker, limits);

  const vars = isRecord(template.vars) ? template.vars : {};
  const compiledVars: Record<string, ValueTemplate> = {};
  for (const [name, value] of Object.entries(vars))
    compiledVars[name] = walker.value(['vars', name], value, EMPTY_SCOPE);
  const withVars = extendScope(EMPTY_SCOPE, { vars: new Set(Object.keys(vars)) });
  const businessKey = walker.expr(['businessKey'], template.businessKey, withVars, {
    schema: { type: ['string', 'number'] },
  });
  const steps = walker.sequence(['steps'], template.steps, withVars).steps;
  const onFailure =
    template.onFailure !== undefined
      ? walker.sequence(['onFailure'], template.onFailure, withStepError(withVars)).steps
      : undefined;

  // A walk cut short leaves a partial model: checking it would report steps as missing.
  if (walker.overLimit) {
    diagnostics.push(...walker.diagnostics);
    return undefined;
  }
  model.expressions = screenExpressions(model.expressions, parsed, limits, diagnostics);

  const unknownKinds = model.steps.filter((step) => step.kindKeys.length !== 1).map((step) => step.path);
  diagnostics.push(...checkTemplateSchema(parsed, unknownKinds), ...walker.diagnostics);

  const context: LintContext = {
    model,
    parsed,
    checker,
    names: templateNames(model, Object.keys(vars)),
    ...(options.resolveTemplateCalls ? { resolveTemplateCalls: options.resolveTemplateCalls } : {}),
    ...(options.roles ? { roles: options.roles } : {}),
    report: (code, path, message, where) => {
      const range = where?.range ?? (where?.atKey ? parsed.keyRangeOf(path) : parsed.rangeOf(path));
      const diagnostic = createDiagnostic(code, formatPath(path), range, message);
      const fix = where?.fix && replacementFix(parsed.source, where.fix.range ?? range, where.fix.from, where.fix.to);
      diagnostics.push(fix ? { ...diagnostic, fixes: [fix] } : diagnostic);
    },
  };
  for (const rule of LINT_RULES) rule.check(context);

  const triggers = Array.isArray(template.triggers)
    ? template.triggers.filter(isRecord).map((t) => ({ event: String(t.event) }))
    : [];
  const startableBy = Array.isArray(template.startableBy)
    ? template.startableBy.filter((role): role is string => typeof role === 'string')
    : undefined;
  return {
    planVersion: 1,
    key: String(template.key ?? ''),
    name: String(template.name ?? ''),
    version: options.version ?? 0,
    hash: (options.hash ?? sha256Hex)(parsed.source),
    inputSchema: inputSchema as ProcessPlan['inputSchema'],
    ...(businessKey ? { businessKey } : {}),
    triggers,
    ...(startableBy ? { startableBy } : {}),
    vars: compiledVars,
    steps,
    ...(onFailure ? { onFailure } : {}),
    limits: { ...DEFAULT_RUNTIME_LIMITS, ...options.runtimeLimits },
  };
}

function templateNames(model: TemplateModel, declaredVars: readonly string[]): TemplateNames {
  const vars = new Map<string, string>(declaredVars.map((name) => [name, 'vars:']));
  for (const step of model.steps) {
    if (step.plan?.kind !== 'set') continue;
    for (const name of Object.keys(step.plan.vars)) if (!vars.has(name)) vars.set(name, `set step '${step.plan.id}'`);
  }
  return { steps: new Set(model.steps.flatMap((step) => (step.id !== undefined ? [step.id] : []))), vars };
}
