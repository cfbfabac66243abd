import type { Environment } from '@marcbachmann/cel-js';
import { CelTypeRegistrar, type JsonSchema } from './schema-types';

/**
 * What an expression may name at one place in a template. `steps` holds only the steps that have
 * certainly run before the expression (with the JSON Schema of their results), `vars` the
 * variables certainly set, `locals` loop variables and the like. Scopes are immutable: every
 * step sees the scope its predecessors left.
 */
export interface ExpressionScope {
  readonly steps: ReadonlyMap<string, JsonSchema>;
  readonly vars: ReadonlySet<string>;
  readonly locals: ReadonlyMap<string, JsonSchema>;
}

/** Steps and variables that a step or sequence certainly adds to the scope after it. */
export interface ScopeDelta {
  steps: Map<string, JsonSchema>;
  vars: Set<string>;
}

/** Names every expression has, whatever its place. */
export const ROOT_NAMES = ['input', 'vars', 'steps', 'instance', 'now'] as const;

export const EMPTY_SCOPE: ExpressionScope = { steps: new Map(), vars: new Set(), locals: new Map() };

export function emptyDelta(): ScopeDelta {
  return { steps: new Map(), vars: new Set() };
}

export function mergeDelta(into: ScopeDelta, from: ScopeDelta): ScopeDelta {
  for (const [id, schema] of from.steps) into.steps.set(id, schema);
  for (const name of from.vars) into.vars.add(name);
  return into;
}

export function extendScope(
  scope: ExpressionScope,
  delta: Partial<ScopeDelta> & { locals?: Map<string, JsonSchema> },
): ExpressionScope {
  return {
    steps: delta.steps?.size ? new Map([...scope.steps, ...delta.steps]) : scope.steps,
    vars: delta.vars?.size ? new Set([...scope.vars, ...delta.vars]) : scope.vars,
    locals: delta.locals?.size ? new Map([...scope.locals, ...delta.locals]) : scope.locals,
  };
}

/** `instance` as the interpreter binds it (EvaluationScope['instance'] in dsl/plan.ts). */
export const INSTANCE_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    templateKey: { type: 'string' },
    version: { type: 'number' },
    businessKey: {},
    startedAt: { type: 'string', format: 'date-time' },
  },
};

/**
 * `error` in an `onError` block and in `onFailure`: what failed (workflows/failure.ts StepError).
 * Required fields, so reading them needs no `has()`.
 */
export const STEP_ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['code', 'message', 'stepId'],
  properties: { code: { type: 'string' }, message: { type: 'string' }, stepId: { type: 'string' } },
};

/** The scope of an `onError` block or `onFailure`: the outer one plus the local `error`. */
export function withStepError(scope: ExpressionScope): ExpressionScope {
  return extendScope(scope, { locals: new Map([['error', STEP_ERROR_SCHEMA]]) });
}

/**
 * Registers `input`, `vars`, `steps`, `instance`, `now` and the locals of `scope` in `env` (a
 * clone of the run-time environment) with types from their schemas. Variables are dyn: their
 * values change type freely between `set` steps.
 */
export function declareScope(env: Environment, scope: ExpressionScope, inputSchema: JsonSchema): CelTypeRegistrar {
  const types = new CelTypeRegistrar(env);
  env.registerVariable('input', types.declare(inputSchema, 'input'));
  env.registerVariable('vars', types.declare(objectOf([...scope.vars].map((name) => [name, {}])), 'vars'));
  const stepFields = [...scope.steps].map(([id, schema]) => [id, schema] as const);
  env.registerVariable('steps', types.declare(objectOf(stepFields), 'steps'));
  env.registerVariable('instance', types.declare(INSTANCE_SCHEMA, 'instance'));
  env.registerVariable('now', 'string');
  for (const [name, schema] of scope.locals) env.registerVariable(name, types.declare(schema, `local.${name}`));
  return types;
}

// An object type that stays a (closed) message even with no fields, so any field is unknown.
function objectOf(fields: readonly (readonly [string, JsonSchema])[]): JsonSchema {
  if (fields.length === 0) return { type: 'object', properties: { $none: {} } };
  return { type: 'object', properties: Object.fromEntries(fields) };
}
