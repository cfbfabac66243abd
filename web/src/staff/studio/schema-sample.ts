import type { JsonSchema } from './studio-api';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * A value a JSON Schema accepts, to start a form from (an activity's result, a start input): the
 * schema's own default or example where it gives one, else the simplest value of its type.
 */
export function sampleOf(schema: JsonSchema | undefined, depth = 0): Json {
  if (!schema || depth > 6) return null;
  if (schema.default !== undefined) return schema.default as Json;
  if (schema.examples?.length) return schema.examples[0] as Json;
  if (schema.enum?.length) return schema.enum[0] as Json;
  if ('const' in schema) return schema['const'] as Json;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type ?? (schema.properties ? 'object' : undefined)) {
    case 'object':
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([name, property]) => [name, sampleOf(property, depth + 1)]),
      );
    case 'array':
      return [];
    case 'string':
      return schema['format'] === 'date-time'
        ? new Date().toISOString()
        : typeof schema['minLength'] === 'number' && schema['minLength'] > 0
          ? 'x'.repeat(schema['minLength'])
          : '';
    case 'integer':
    case 'number':
      return typeof schema['minimum'] === 'number' ? schema['minimum'] : 0;
    case 'boolean':
      return false;
    default:
      return null;
  }
}
