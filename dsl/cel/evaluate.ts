import type { Environment } from '@marcbachmann/cel-js';
import type { EvaluationScope, Expr, Json, ValueTemplate } from '../plan';
import { createCelEnvironment } from './environment';

// One environment and one parse per distinct expression per isolate: workflows re-evaluate the
// same few expressions many times, and parsing is the expensive part.
let environment: Environment | undefined;
const parsed = new Map<string, ReturnType<Environment['parse']>>();

export class ExpressionError extends Error {
  constructor(
    readonly expression: string,
    message: string,
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

/** Evaluates one expression; CEL ints, timestamps and maps come back as plain JSON. */
export function evaluateExpr(expr: Expr, scope: EvaluationScope): Json {
  environment ??= createCelEnvironment();
  let program = parsed.get(expr.$expr);
  try {
    if (!program) {
      program = environment.parse(expr.$expr);
      parsed.set(expr.$expr, program);
    }
    return toJson(program(scope as unknown as Record<string, unknown>));
  } catch (error) {
    throw new ExpressionError(
      expr.$expr,
      error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error),
    );
  }
}

/** Resolves every expression inside a value template. */
export function renderValue(template: ValueTemplate, scope: EvaluationScope): Json {
  if (template === null || typeof template !== 'object') return template;
  if (Array.isArray(template)) return template.map((item) => renderValue(item, scope));
  if (isExpr(template)) return evaluateExpr(template, scope);
  const keys = Object.keys(template);
  if (keys.length === 1 && keys[0] === '$literal') return (template as { $literal: Json }).$literal;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(template)) out[key] = renderValue(value as ValueTemplate, scope);
  return out;
}

export function toJson(value: unknown): Json {
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
