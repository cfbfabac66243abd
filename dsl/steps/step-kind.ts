import type { ActivityCatalog } from '../activity-contract';
import type { ExpectedValue } from '../cel/check';
import type { ExpressionScope, ScopeDelta } from '../cel/scope-types';
import type { JsonSchema } from '../cel/schema-types';
import type { DiagnosticCode } from '../diagnostics';
import type { Path } from '../path';
import type { Expr, StepKind, StepPlan, ValueTemplate } from '../plan';
import type { JsonSchemaObject } from '../schema-defs';

/** A step's YAML as plain data. */
export type RawStep = Record<string, unknown>;

/** The kind-specific part of a plan node: what the kind adds to id, kind, path, if and onError. */
export type StepBody<K extends StepKind> = Omit<
  Extract<StepPlan, { kind: K }>,
  'id' | 'kind' | 'path' | 'if' | 'onError'
>;

export interface CompiledSequence {
  steps: StepPlan[];
  /** Steps and variables certainly done once the sequence has completed. */
  certain: ScopeDelta;
}

/**
 * What a step kind's compiler may ask for. Paths are relative to the step. Each call records the
 * place in the model, so the lint rules check it later with its scope; values that are not what
 * the schema asks for come back undefined (the schema check has already reported them).
 */
export interface StepContext {
  /** The step's id, when it has a valid one. */
  readonly id?: string;
  readonly path: Path;
  readonly scope: ExpressionScope;
  readonly catalog: ActivityCatalog;
  /** A string `=…` as an expression; undefined for anything else. */
  expr(at: Path, value: unknown, expect?: ExpectedValue, scope?: ExpressionScope): Expr | undefined;
  /** A value that may contain expressions anywhere; each expression must fit `expect.schema` at its place. */
  value(at: Path, value: unknown, expect?: ExpectedValue, scope?: ExpressionScope): ValueTemplate;
  /** An ISO 8601 duration in milliseconds; undefined if absent or invalid (reported by the durations rule). */
  duration(at: Path, value: unknown): number | undefined;
  /** Compiles nested steps seeing `scope` (default: this step's scope). */
  sequence(at: Path, value: unknown, scope?: ExpressionScope): CompiledSequence;
  /** The JSON Schema of the elements of a list expression, `{}` when unknowable. */
  itemSchemaOf(source: string, scope: ExpressionScope): JsonSchema;
  /** A structural problem the schema cannot express. */
  report(code: DiagnosticCode, at: Path, message: string): void;
}

export interface CompiledStep<K extends StepKind> {
  body: StepBody<K>;
  /** Steps nested in this one that have certainly run once it completes (parallel `all`, repeat). */
  certain?: ScopeDelta;
}

/** One step kind in the template language: its schema, its compilation and its result's type. */
export interface StepKindDefinition<K extends StepKind = StepKind> {
  kind: K;
  /** JSON Schema of the keys the kind adds to a step: its own key and, for call, its siblings. */
  schema: JsonSchemaObject & { properties: Record<string, unknown> };
  compile(step: RawStep, ctx: StepContext): CompiledStep<K>;
  /** JSON Schema of `steps.<id>` once the step has run. */
  resultSchema(step: RawStep, ctx: Pick<StepContext, 'catalog'>): JsonSchema;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export const BOOLEAN: ExpectedValue = { schema: { type: 'boolean' } };

/** What a `completion` condition counts: branches or iterations finished so far, and how many there are. */
export const COMPLETION_LOCALS: ReadonlyMap<string, JsonSchema> = new Map([
  ['completed', { type: 'number' }],
  ['total', { type: 'number' }],
]);

export function asPositiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}
