import { JSON_LIMITS_KEYWORD, type JsonLimits } from './json-limits';

/** What a request schema gets where it says nothing itself. */
export interface SchemaLimits {
  json: JsonLimits;
  /** maxLength of a string without one. */
  stringMaxLength: number;
  /** maxItems of an array without one. */
  arrayMaxItems: number;
}

/** Refuses U+0000 in a string: PostgreSQL text and jsonb cannot hold it (a NUL made 500s everywhere). */
export const NO_NUL_PATTERN = '^[^\\u0000]*$';

// PostgreSQL int4: an integer with no bound of its own passed ajv at 1e300 and overflowed the column.
const INT4_MIN = -2_147_483_648;
const INT4_MAX = 2_147_483_647;
// Beyond this a double no longer holds every integer, so amounts and counts stop being exact.
const NUMBER_BOUND = 1e15;

type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const SHAPING_KEYWORDS = ['type', '$ref', 'anyOf', 'oneOf', 'allOf', 'not', 'const', 'enum'];

/** A schema that accepts any JSON value (`Type.Unknown()`, `{}`). */
function acceptsAnything(schema: unknown): boolean {
  return schema === true || (isSchema(schema) && !SHAPING_KEYWORDS.some((keyword) => keyword in schema));
}

/** An object or array whose content is free-form: `Type.Record(Type.String(), Type.Unknown())`, `Type.Array(Type.Unknown())`. */
function isFreeFormContainer(schema: Schema): boolean {
  if (schema['type'] === 'array') return acceptsAnything(schema['items']);
  if (schema['type'] !== 'object' || (isSchema(schema['properties']) && Object.keys(schema['properties']).length > 0))
    return false;
  const patterns = isSchema(schema['patternProperties']) ? Object.values(schema['patternProperties']) : [];
  if (patterns.some(acceptsAnything)) return true;
  return schema['additionalProperties'] === undefined || acceptsAnything(schema['additionalProperties']);
}

function limitString(schema: Schema, limits: SchemaLimits): Schema {
  if ('enum' in schema || 'const' in schema) return schema;
  const limited: Schema = { ...schema };
  if (limited['maxLength'] === undefined) limited['maxLength'] = limits.stringMaxLength;
  const allOf = Array.isArray(limited['allOf']) ? limited['allOf'] : [];
  const refusesNul =
    limited['pattern'] === NO_NUL_PATTERN || allOf.some((part) => isSchema(part) && part['pattern'] === NO_NUL_PATTERN);
  if (!refusesNul) {
    if (limited['pattern'] === undefined) limited['pattern'] = NO_NUL_PATTERN;
    else limited['allOf'] = [...allOf, { pattern: NO_NUL_PATTERN }];
  }
  return limited;
}

function limitNumber(schema: Schema, min: number, max: number): Schema {
  const limited: Schema = { ...schema };
  if (limited['minimum'] === undefined && limited['exclusiveMinimum'] === undefined) limited['minimum'] = min;
  if (limited['maximum'] === undefined && limited['exclusiveMaximum'] === undefined) limited['maximum'] = max;
  return limited;
}

function mapValues(record: unknown, limits: SchemaLimits): unknown {
  if (!isSchema(record)) return record;
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, limitRequestSchema(value, limits)]));
}

function mapList(list: unknown, limits: SchemaLimits): unknown {
  return Array.isArray(list) ? list.map((item) => limitRequestSchema(item, limits)) : list;
}

/**
 * A copy of a route's request schema (body, querystring, params, headers) with the limits it
 * leaves out: every string a maxLength and no NUL, every integer within PostgreSQL int4, every
 * number within ±1e15, every array a maxItems, every free-form value (`Type.Unknown()`, a record
 * of unknowns, the extra members of an object left open) the `x-json-limits` keyword. A limit the schema states itself wins. The copy is
 * what Fastify compiles and what the OpenAPI document shows; the shared TypeBox constants stay
 * untouched. Applying it twice changes nothing (Fastify passes a GET's schema again for its HEAD).
 */
export function limitRequestSchema(schema: unknown, limits: SchemaLimits): unknown {
  if (!isSchema(schema) || '$ref' in schema) return schema;
  if (acceptsAnything(schema) || isFreeFormContainer(schema)) {
    return JSON_LIMITS_KEYWORD in schema ? schema : { ...schema, [JSON_LIMITS_KEYWORD]: { ...limits.json } };
  }
  let limited: Schema = { ...schema };
  for (const keyword of ['anyOf', 'oneOf', 'allOf', 'prefixItems']) {
    if (keyword in limited) limited[keyword] = mapList(limited[keyword], limits);
  }
  for (const keyword of ['properties', 'patternProperties']) {
    if (keyword in limited) limited[keyword] = mapValues(limited[keyword], limits);
  }
  for (const keyword of ['items', 'additionalProperties', 'not']) {
    if (isSchema(limited[keyword])) limited[keyword] = limitRequestSchema(limited[keyword], limits);
  }
  const types = Array.isArray(limited['type']) ? limited['type'] : [limited['type']];
  if (types.includes('string')) limited = limitString(limited, limits);
  if (types.includes('integer')) limited = limitNumber(limited, INT4_MIN, INT4_MAX);
  else if (types.includes('number')) limited = limitNumber(limited, -NUMBER_BOUND, NUMBER_BOUND);
  if (types.includes('array') && limited['maxItems'] === undefined) limited['maxItems'] = limits.arrayMaxItems;
  // An object that does not close itself takes any other member: each is free-form JSON.
  if (types.includes('object') && (limited['additionalProperties'] ?? true) === true) {
    limited['additionalProperties'] = { [JSON_LIMITS_KEYWORD]: { ...limits.json } };
  }
  return limited;
}
