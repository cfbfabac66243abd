import type { Static, TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { PHONE_FORMAT, toE164 } from './phone';

export interface CrmInputProblem {
  /** JSON Pointer of the offending value ('' for the whole input), e.g. `/lines/0/quantity`. */
  path: string;
  message: string;
}

export type CrmInputResult<T> = { ok: true; value: T } | { ok: false; problems: CrmInputProblem[] };

// Errors that only restate a problem one level up.
const NOISE = new Set(['boolean', 'anyOf', 'oneOf']);

const FORMAT_MESSAGES: Record<string, string> = {
  email: 'must be an e-mail address',
  [PHONE_FORMAT]: 'must be a phone number: international with + (+1 202 555 0143), or a Chinese number (13800138000)',
  date: 'must be a date (yyyy-mm-dd)',
};

/**
 * Checks CRM input against its schema and reports every problem at once. On success the value
 * comes back normalised (phone numbers in E.164); the input itself is not changed.
 */
export function validateCrmInput<T extends TSchema>(schema: T, value: unknown): CrmInputResult<Static<T>> {
  const problems: CrmInputProblem[] = [];
  const seen = new Set<string>();
  for (const error of Value.Errors(schema, value)) {
    if (NOISE.has(error.keyword)) continue;
    const problem = { path: error.instancePath, message: describe(error.keyword, error.message, error.params) };
    const key = `${problem.path}\u0000${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: normalise(schema, Value.Clone(value)) as Static<T> };
}

/** One line per problem: `/lines/0/quantity: must be >= 1`. */
export function formatCrmProblems(problems: readonly CrmInputProblem[]): string {
  return problems.map((p) => `${p.path || '(input)'}: ${p.message}`).join('\n');
}

function describe(keyword: string, message: string, params: Record<string, unknown>): string {
  if (keyword === 'format' && typeof params['format'] === 'string') return FORMAT_MESSAGES[params['format']] ?? message;
  if (Array.isArray(params['allowedValues'])) return `${message}: ${params['allowedValues'].join(', ')}`;
  if (Array.isArray(params['additionalProperties'])) return `${message}: ${params['additionalProperties'].join(', ')}`;
  if (keyword === 'required' && Array.isArray(params['requiredProperties']))
    return `${message}: ${params['requiredProperties'].join(', ')}`;
  return message;
}

/** Rewrites every phone-format string to E.164, following the schema into objects and arrays. */
function normalise(schema: unknown, value: unknown): unknown {
  if (typeof schema !== 'object' || schema === null) return value;
  const s = schema as { format?: unknown; properties?: Record<string, unknown>; items?: unknown; anyOf?: unknown[] };
  if (s.format === PHONE_FORMAT && typeof value === 'string') return toE164(value) ?? value;
  if (Array.isArray(s.anyOf)) return s.anyOf.reduce((v, branch) => normalise(branch, v), value);
  if (s.properties && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    for (const [key, sub] of Object.entries(s.properties)) {
      if (key in record) record[key] = normalise(sub, record[key]);
    }
    return record;
  }
  if (s.items && Array.isArray(value)) return value.map((item) => normalise(s.items, item));
  return value;
}
