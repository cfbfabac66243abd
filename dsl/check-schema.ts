import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { createDiagnostic, replacementFix, type Diagnostic } from './diagnostics';
import type { ParsedTemplate } from './parse';
import { formatPath, pathFromPointer, type Path } from './path';
import { TEMPLATE_SCHEMA } from './schema';
import { COMMON_STEP_KEYS, isStepKind, keysOfKind } from './steps';
import { didYouMean, listOf, suggestName } from './suggest';

let validator: ValidateFunction | undefined;

/** The compiled template schema, built once: ajv generates code, which is why this is not in the workflow bundle. */
function templateValidator(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv2020({
      allErrors: true,
      verbose: true,
      strict: true,
      strictRequired: false,
      allowUnionTypes: true,
    });
    ajv.addKeyword({ keyword: 'x-message', schemaType: 'string' });
    validator = ajv.compile(TEMPLATE_SCHEMA);
  }
  return validator;
}

/**
 * Validates the template against TEMPLATE_SCHEMA and turns every ajv error into a diagnostic at
 * the YAML node it is about. `skip` holds paths (steps of unknown kind) whose own diagnostic says
 * more than the schema could; errors inside them are dropped.
 */
export function checkTemplateSchema(parsed: ParsedTemplate, skip: readonly Path[] = []): Diagnostic[] {
  const validate = templateValidator();
  if (validate(parsed.value)) return [];
  const skipped = skip.map((path) => formatPath(path));
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const error of validate.errors ?? []) {
    if (
      error.keyword === 'if' ||
      error.schemaPath.includes('/$defs/duration/pattern') ||
      error.propertyName !== undefined
    )
      continue;
    const described = describeSchemaError(error, parsed.value);
    if (described.message === '') continue;
    const path = formatPath(described.path);
    if (skipped.some((s) => path === s || path.startsWith(`${s}.`) || path.startsWith(`${s}[`))) continue;
    const key = `${path}\u0000${described.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const range = described.atKey ? parsed.keyRangeOf(described.path) : parsed.rangeOf(described.path);
    const diagnostic = createDiagnostic('schema.invalid', path, range, described.message);
    const fix = described.fix && replacementFix(parsed.source, range, described.fix.from, described.fix.to);
    diagnostics.push(fix ? { ...diagnostic, fixes: [fix] } : diagnostic);
  }
  return diagnostics;
}

interface DescribedError {
  path: Path;
  /** Point at the key of the entry rather than its value (unknown keys). */
  atKey: boolean;
  message: string;
  /** The allowed key a misspelt one most likely meant. */
  fix?: { from: string; to: string };
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value)',
  null: 'empty',
};

/** One ajv error in a designer's words, at the path it is about (an empty message: nothing to say); shared with the activity-params rule. */
export function describeSchemaError(error: ErrorObject, data: unknown, subject = 'key'): DescribedError {
  const path = pathFromPointer(error.instancePath, data);
  const params = error.params as Record<string, unknown>;
  const custom = (error.parentSchema as Record<string, unknown> | undefined)?.['x-message'];
  const customMessage = typeof custom === 'string' ? custom : undefined;
  switch (error.keyword) {
    case 'required':
      return { path, atKey: false, message: `missing required ${subject} '${String(params.missingProperty)}'` };
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const name = String(params.additionalProperty ?? params.unevaluatedProperty);
      const allowed = allowedKeys(error, data, path);
      // A key the step's kind does allow is "unevaluated" only because that kind's part failed, which is reported on its own.
      if (error.keyword === 'unevaluatedProperties' && allowed.includes(name))
        return { path, atKey: false, message: '' };
      const where = allowed.length > 0 ? ` (allowed: ${listOf(allowed)})` : '';
      return {
        path: [...path, name],
        atKey: true,
        message: `unknown ${subject} '${name}'${didYouMean(name, allowed)}${where}`,
        fix: suggestName(name, allowed),
      };
    }
    case 'type': {
      const types = String(params.type)
        .split(',')
        .map((t) => TYPE_WORDS[t] ?? t);
      return { path, atKey: false, message: customMessage ?? `must be ${types.join(' or ')}` };
    }
    case 'enum':
      return {
        path,
        atKey: false,
        message: `must be one of ${listOf((params.allowedValues as unknown[]).map((v) => String(v)))}`,
      };
    case 'const':
      return { path, atKey: false, message: customMessage ?? `must be ${String(params.allowedValue)}` };
    case 'pattern':
    case 'maxProperties':
      return { path, atKey: false, message: customMessage ?? error.message ?? 'is invalid' };
    case 'propertyNames':
      return {
        path: [...path, String(params.propertyName)],
        atKey: true,
        message: `'${String(params.propertyName)}' is not a valid name: it must consist of letters, digits and '_' and not start with a digit`,
      };
    case 'minItems':
      return {
        path,
        atKey: false,
        message: `must have at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`,
      };
    case 'minLength':
      return {
        path,
        atKey: false,
        message: params.limit === 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters long`,
      };
    case 'maxLength':
      return { path, atKey: false, message: `must be at most ${String(params.limit)} characters long` };
    case 'minProperties':
      return { path, atKey: false, message: 'must not be empty' };
    case 'uniqueItems':
      return {
        path,
        atKey: false,
        message: `lists the same value twice (items ${String(params.j)} and ${String(params.i)})`,
      };
    case 'dependentRequired':
      return {
        path,
        atKey: false,
        message: `'${String(params.property)}' needs '${String(params.missingProperty)}' as well`,
      };
    case 'format':
      return { path, atKey: false, message: `must be a valid ${String(params.format)}` };
    default:
      return { path, atKey: false, message: error.message ?? 'is invalid' };
  }
}

// A step's allowed keys depend on its kind, which the schema expresses through if/then.
function allowedKeys(error: ErrorObject, data: unknown, path: Path): string[] {
  const parent = error.parentSchema as { properties?: Record<string, unknown> } | undefined;
  const own = Object.keys(parent?.properties ?? {});
  if (error.keyword !== 'unevaluatedProperties') return own;
  const value = valueAt(data, path);
  if (typeof value !== 'object' || value === null) return own;
  const kinds = Object.keys(value).filter(isStepKind);
  return [...COMMON_STEP_KEYS, ...kinds.flatMap((kind) => keysOfKind(kind))];
}

function valueAt(data: unknown, path: Path): unknown {
  let current = data;
  for (const segment of path) current = (current as Record<string | number, unknown> | null)?.[segment];
  return current;
}
