import type { Json } from '../dsl/plan';
import { ACTIVITY_CATALOG } from '../activities';

type Schema = Record<string, unknown>;

/**
 * A value that fits an activity's result schema, for a dry run that gave no answer: every
 * required property, the first of each enum / union, the minimum of each number. Good enough
 * for the path to go on; the result says it was generated.
 */
export function sampleOf(schema: unknown, now: string, depth = 0): Json {
  if (!schema || typeof schema !== 'object' || depth > 12) return null;
  const s = schema as Schema;
  if ('const' in s) return s['const'] as Json;
  if (Array.isArray(s['enum']) && s['enum'].length > 0) return s['enum'][0] as Json;
  if ('default' in s) return s['default'] as Json;
  for (const union of ['anyOf', 'oneOf'] as const) {
    const options = s[union];
    if (Array.isArray(options) && options.length > 0) {
      // Prefer a non-null option: a null sample ends most paths early.
      const chosen = options.find((option) => (option as Schema)['type'] !== 'null') ?? options[0];
      return sampleOf(chosen, now, depth + 1);
    }
  }
  if (Array.isArray(s['allOf'])) {
    return Object.assign({}, ...s['allOf'].map((part) => sampleOf(part, now, depth + 1))) as Json;
  }
  const type = Array.isArray(s['type']) ? s['type'].find((t) => t !== 'null') : s['type'];
  switch (type) {
    case 'object': {
      const properties = (s['properties'] ?? {}) as Record<string, unknown>;
      const sample: Record<string, Json> = {};
      for (const [name, property] of Object.entries(properties)) sample[name] = sampleOf(property, now, depth + 1);
      return sample;
    }
    case 'array':
      return [];
    case 'string':
      return stringSample(s, now);
    case 'integer':
    case 'number':
      return typeof s['minimum'] === 'number' ? s['minimum'] : 0;
    case 'boolean':
      return false;
    default:
      return null;
  }
}

function stringSample(s: Schema, now: string): string {
  if (s['format'] === 'date-time') return now;
  if (s['format'] === 'date') return now.slice(0, 10);
  if (s['format'] === 'email') return 'someone@example.com';
  const minLength = typeof s['minLength'] === 'number' ? s['minLength'] : 0;
  return 'sample'.padEnd(minLength, '-');
}

/** A sample of a catalogue activity's result (undefined for an activity the catalogue lacks). */
export function sampleResultOf(activity: string, now: string): Json | undefined {
  const contract = ACTIVITY_CATALOG[activity];
  return contract ? sampleOf(contract.result, now) : undefined;
}
