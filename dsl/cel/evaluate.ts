import type { Environment } from '@marcbachmann/cel-js';
import { DEFAULT_RUNTIME_LIMITS } from '../limits';
import type { EvaluationScope, Expr, Json, ValueTemplate } from '../plan';
import { createCelEnvironment } from './environment';
import { chargeUnits, meterEvaluation, withMeter } from './meter';

// One environment and one parse per distinct expression per isolate: workflows re-evaluate the
// same few expressions many times, and parsing is the expensive part. In the workflow sandbox this
// module is shared by every run of a worker thread (sharedWorkflowModules in
// simulator/workflow-bundle.ts); a parse depends only on the expression's text, so a run that finds
// an expression already parsed evaluates it exactly as if it had parsed it itself.
let environment: Environment | undefined;
const parsed = new Map<string, ReturnType<Environment['parse']>>();

export class ExpressionError extends Error {
  constructor(
    readonly expression: string,
    message: string,
    /** `expression.over-budget` when the evaluation spent its cost budget, else `expression.failed`. */
    readonly code: 'expression.failed' | 'expression.over-budget' = 'expression.failed',
  ) {
    super(`expression '${expression}': ${message}`);
    this.name = 'ExpressionError';
  }
}

export function isExpr(value: unknown): value is Expr {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as Expr).$expr === 'string'
  );
}

/**
 * Evaluates one expression; CEL ints, timestamps and maps come back as plain JSON. The evaluation
 * may spend `budget` cost units (cel/meter.ts); past it, it stops with an `expression.over-budget`
 * error instead of running until the workflow task's CPU limit, which Temporal would retry forever.
 */
export function evaluateExpr(
  expr: Expr,
  scope: EvaluationScope,
  budget: number = DEFAULT_RUNTIME_LIMITS.expressionCost,
): Json {
  environment ??= createCelEnvironment();
  let program = parsed.get(expr.$expr);
  const outcome = withMeter(budget, () => {
    if (!program) {
      program = environment!.parse(expr.$expr);
      parsed.set(expr.$expr, program);
    }
    meterEvaluation(program.ast);
    return toJson(program(scope as unknown as Record<string, unknown>));
  });
  if (outcome.overBudget) {
    throw new ExpressionError(
      expr.$expr,
      `evaluation stopped after spending its budget of ${budget} cost units (loops over large lists, or values built up again and again)`,
      'expression.over-budget',
    );
  }
  if ('error' in outcome) {
    const { error } = outcome;
    throw new ExpressionError(
      expr.$expr,
      error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error),
    );
  }
  return outcome.value;
}

/** Resolves every expression inside a value template, each with its own `budget`. */
export function renderValue(
  template: ValueTemplate,
  scope: EvaluationScope,
  budget: number = DEFAULT_RUNTIME_LIMITS.expressionCost,
): Json {
  if (template === null || typeof template !== 'object') return template;
  if (Array.isArray(template)) return template.map((item) => renderValue(item, scope, budget));
  if (isExpr(template)) return evaluateExpr(template, scope, budget);
  const keys = Object.keys(template);
  if (keys.length === 1 && keys[0] === '$literal') return (template as { $literal: Json }).$literal;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(template)) out[key] = renderValue(value as ValueTemplate, scope, budget);
  return out;
}

/** CEL values as JSON; each value converted costs a unit of the running evaluation's budget. */
export function toJson(value: unknown): Json {
  chargeUnits(1);
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof Map) {
    const out: Record<string, Json> = {};
    for (const [k, v] of value) out[String(k)] = toJson(v);
    return out;
  }
  if (typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJson(v);
    return out;
  }
  return String(value);
}
