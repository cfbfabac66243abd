import type Ajv from 'ajv';
import type { SchemaValidateFunction } from 'ajv/dist/types';

/** Caps on a free-form JSON value (instance input, event payload, task form). */
export interface JsonLimits {
  /** Serialised size in UTF-8 bytes. */
  maxBytes: number;
  /** Nesting of objects and arrays; a scalar is depth 0. */
  maxDepth: number;
}

/** The schema keyword carrying JsonLimits; `x-` so OpenAPI tools show it as an extension. */
export const JSON_LIMITS_KEYWORD = 'x-json-limits';

export interface JsonLimitViolation {
  /** JSON Pointer below the checked value ('' for the value itself). */
  pointer: string;
  message: string;
}

const NUL = '\u0000';

function escapePointerToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

/**
 * The first way `value` breaks the limits, or null. A NUL is refused anywhere, key or string:
 * PostgreSQL's jsonb cannot store U+0000, so a form holding one made a task's completion fail and
 * retry forever. Depth is checked before size so that serialising never meets a deep value.
 */
export function findJsonLimitViolation(value: unknown, limits: JsonLimits): JsonLimitViolation | null {
  const pending: Array<{ value: unknown; pointer: string; depth: number }> = [{ value, pointer: '', depth: 0 }];
  while (pending.length > 0) {
    const { value: current, pointer, depth } = pending.pop()!;
    if (typeof current === 'string') {
      if (current.includes(NUL)) return { pointer, message: 'must not contain the NUL character (U+0000)' };
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= limits.maxDepth) {
      return { pointer, message: `must not nest objects and arrays deeper than ${limits.maxDepth} levels` };
    }
    const entries = Array.isArray(current)
      ? current.map((item, index) => [String(index), item] as const)
      : Object.entries(current);
    for (const [key, item] of entries) {
      const itemPointer = `${pointer}/${escapePointerToken(key)}`;
      if (key.includes(NUL))
        return { pointer: itemPointer, message: 'property names must not contain the NUL character (U+0000)' };
      pending.push({ value: item, pointer: itemPointer, depth: depth + 1 });
    }
  }
  const bytes = Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
  if (bytes > limits.maxBytes) {
    return { pointer: '', message: `must not be larger than ${limits.maxBytes} bytes as JSON (it is ${bytes})` };
  }
  return null;
}

function isJsonLimits(value: unknown): value is JsonLimits {
  const limits = value as Partial<JsonLimits> | null;
  return (
    typeof limits === 'object' &&
    limits !== null &&
    Number.isInteger(limits.maxBytes) &&
    Number.isInteger(limits.maxDepth)
  );
}

/** Teaches ajv the `x-json-limits` keyword; given to Fastify as an ajv plugin. */
export function addJsonLimitsKeyword(ajv: Ajv): Ajv {
  const validate: SchemaValidateFunction = (limits: unknown, data: unknown, _parentSchema, dataCxt) => {
    if (!isJsonLimits(limits)) return true;
    const violation = findJsonLimitViolation(data, limits);
    validate.errors = violation
      ? [
          {
            keyword: JSON_LIMITS_KEYWORD,
            instancePath: `${dataCxt?.instancePath ?? ''}${violation.pointer}`,
            message: violation.message,
            params: { ...limits },
          },
        ]
      : [];
    return violation === null;
  };
  ajv.addKeyword({ keyword: JSON_LIMITS_KEYWORD, schemaType: 'object', errors: true, validate });
  return ajv;
}
