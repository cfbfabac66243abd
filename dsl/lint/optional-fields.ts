import type { ExpressionScope } from '../cel/scope-types';
import { createCelEnvironment } from '../cel/environment';
import { presentIfTrue, unguardedReads } from '../cel/presence-guards';
import type { JsonSchema } from '../cel/schema-types';
import type { StepKind } from '../plan';
import type { Path } from '../path';
import type { StepRecord, TemplateModel } from '../model';
import type { LintRule } from './rule';

type CelEnvironment = ReturnType<typeof createCelEnvironment>;

/**
 * A field a completion may leave out of a task's form (not `required`), or an activity's result
 * may lack (not in its schema's `required`), read without `has()`: the expression fails at run
 * time when it is absent. Reported at the read, with a guarded read as the fix; for a form, the
 * better fix is usually `required: true` on the field, which refuses a completion without it.
 * Forms are errors (the template owns the form); results are warnings (the activity owns them).
 */
export const optionalFields: LintRule = {
  name: 'optional-fields',
  codes: ['expr.optional-form-field', 'expr.optional-result-field'],
  check({ model, parsed, report }) {
    const env = createCelEnvironment();
    const kinds = new Map<string, StepKind>();
    for (const step of model.steps) if (step.id !== undefined && step.kind) kinds.set(step.id, step.kind);
    for (const site of model.expressions) {
      let ast: unknown;
      try {
        ast = env.parse(site.source).ast;
      } catch {
        continue; // the expressions rule reports the syntax
      }
      const optional = (chain: readonly (string | number)[]) => optionalField(chain, kinds, site.scope) !== undefined;
      for (const read of unguardedReads(ast, optional, guardsAround(model, site.path, env))) {
        const field = optionalField(read.chain, kinds, site.scope);
        if (!field) continue;
        const text = site.source.slice(read.start, read.end);
        const fallback = fallbackFor(field.schema);
        const guarded = fallback === undefined ? undefined : `(has(${text}) ? ${text} : ${fallback})`;
        const guardHint = guarded ? `read it as ${guarded}` : `guard it with has(${text})`;
        const message =
          field.kind === 'form'
            ? `the form of task '${field.stepId}' does not require '${field.name}', so a completion may leave it out and reading ${text} then fails the instance; mark it required: true in the form, or ${guardHint}`
            : `the result of step '${field.stepId}' may lack '${field.name}' (its schema does not require it), and reading ${text} then fails the instance; ${guardHint}`;
        const range = parsed.rangeInside(site.path, site.source, read.start, read.end);
        report(field.kind === 'form' ? 'expr.optional-form-field' : 'expr.optional-result-field', site.path, message, {
          range,
          ...(guarded ? { fix: { from: text, to: guarded, range } } : {}),
        });
      }
    }
  },
};

interface OptionalField {
  kind: 'form' | 'result';
  stepId: string;
  name: string;
  schema: JsonSchema;
}

/** `steps.<task>.form.<field>` or `steps.<call>.<field>` when that field may be absent. */
function optionalField(
  chain: readonly (string | number)[],
  kinds: ReadonlyMap<string, StepKind>,
  scope: ExpressionScope,
): OptionalField | undefined {
  const [root, stepId, key, formField] = chain;
  if (root !== 'steps' || typeof stepId !== 'string' || typeof key !== 'string') return undefined;
  const result = scope.steps.get(stepId);
  if (kinds.get(stepId) === 'task' && key === 'form' && chain.length === 4 && typeof formField === 'string') {
    const form = objectSchema(objectSchema(result)?.properties)?.form;
    return absentIn(form, formField)
      ? { kind: 'form', stepId, name: formField, schema: fieldOf(form, formField) }
      : undefined;
  }
  if (kinds.get(stepId) === 'call' && chain.length === 3) {
    // A result with no declared fields is unknown, not optional: only a declared field is judged.
    const declared = objectSchema(objectSchema(result)?.properties)?.[key];
    return declared !== undefined && absentIn(result, key)
      ? { kind: 'result', stepId, name: key, schema: declared as JsonSchema }
      : undefined;
  }
  return undefined;
}

function absentIn(schema: unknown, field: string): boolean {
  const object = objectSchema(schema);
  if (!object) return false;
  const required = Array.isArray(object.required) ? (object.required as unknown[]) : [];
  return !required.includes(field);
}

function fieldOf(schema: unknown, field: string): JsonSchema {
  return (objectSchema(objectSchema(schema)?.properties)?.[field] as JsonSchema | undefined) ?? {};
}

function objectSchema(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * The value the suggested guard falls back to: the empty value of a scalar field. Lists and
 * objects get no fix: a literal would not have the field's CEL type, and the branches must agree.
 */
function fallbackFor(schema: JsonSchema): string | undefined {
  switch (objectSchema(schema)?.type) {
    case 'string':
      return '""';
    case 'number':
    case 'integer':
      // JSON numbers are CEL doubles.
      return '0.0';
    case 'boolean':
      return 'false';
    default:
      return undefined;
  }
}

/**
 * Paths proven present around an expression: the `if:` of each step that holds it and the
 * `when:` of the switch case it is in (not the `if:` or `when:` itself).
 */
function guardsAround(model: TemplateModel, path: Path, env: CelEnvironment): string[] {
  const guards: string[] = [];
  for (const step of model.steps) {
    if (!isPrefix(step.path, path)) continue;
    const rest = path.slice(step.path.length);
    if (rest[0] !== 'if') guards.push(...factsOf(env, step.raw.if));
    const caseIndex = rest[0] === 'switch' && rest[2] === 'do' ? rest[1] : undefined;
    if (typeof caseIndex === 'number') guards.push(...factsOf(env, caseOf(step, caseIndex)));
  }
  return guards;
}

function caseOf(step: StepRecord, index: number): unknown {
  const cases = step.raw.switch;
  return Array.isArray(cases) ? objectSchema(cases[index])?.when : undefined;
}

function factsOf(env: CelEnvironment, raw: unknown): string[] {
  if (typeof raw !== 'string' || !raw.startsWith('=')) return [];
  try {
    return presentIfTrue(env.parse(raw.slice(1).trim()).ast);
  } catch {
    return [];
  }
}

function isPrefix(prefix: Path, path: Path): boolean {
  return prefix.length < path.length && prefix.every((segment, i) => path[i] === segment);
}
