/*
 * Request values built from the OpenAPI document's own schemas: a sample that satisfies a schema
 * as far as a generator can tell, and the pointers of its string, number and free-form fields, so
 * a test can break one field at a time.
 */

export type Schema = Record<string, unknown>;

export interface Field {
  /** Path of keys from the body's root. */
  path: string[];
  kind: 'string' | 'number' | 'free-form';
}

const FORMAT_SAMPLES: Record<string, (marker: string) => string> = {
  email: (marker) => `${marker}@example.com`,
  date: () => '2030-01-15',
  'date-time': () => '2030-01-15T10:00:00.000Z',
  uri: () => 'https://example.com/',
  phone: () => '+12025550143',
};

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typesOf(schema: Schema): string[] {
  return Array.isArray(schema['type']) ? (schema['type'] as string[]) : [schema['type'] as string];
}

function firstBranch(schema: Schema): Schema | undefined {
  const branches = (schema['anyOf'] ?? schema['oneOf']) as unknown[] | undefined;
  if (!branches) return undefined;
  return (branches.find((branch) => isSchema(branch) && branch['type'] !== 'null') ?? branches[0]) as Schema;
}

/** A value the schema should accept; `marker` goes into every free string so writes can be found. */
export function sampleOf(schema: unknown, marker: string): unknown {
  if (!isSchema(schema)) return null;
  if ('const' in schema) return schema['const'];
  if (Array.isArray(schema['enum'])) return schema['enum'][0];
  const branch = firstBranch(schema);
  if (branch) return sampleOf(branch, marker);
  const types = typesOf(schema);
  if (types.includes('object') || isSchema(schema['properties'])) {
    const properties = (schema['properties'] ?? {}) as Record<string, unknown>;
    const required = (schema['required'] ?? []) as string[];
    return Object.fromEntries(required.map((name) => [name, sampleOf(properties[name], marker)]));
  }
  if (types.includes('array')) {
    const count = typeof schema['minItems'] === 'number' ? schema['minItems'] : 1;
    return Array.from({ length: count }, () => sampleOf(schema['items'], marker));
  }
  if (types.includes('integer') || types.includes('number')) {
    return typeof schema['minimum'] === 'number' ? Math.max(schema['minimum'], 1) : 1;
  }
  if (types.includes('boolean')) return true;
  if (types.includes('string')) {
    const format = typeof schema['format'] === 'string' ? FORMAT_SAMPLES[schema['format']] : undefined;
    if (format) return format(marker);
    const minLength = typeof schema['minLength'] === 'number' ? schema['minLength'] : 0;
    return marker.padEnd(minLength, 'x');
  }
  return {};
}

/** Every string, number and free-form field of a body schema, down to `depth` levels. */
export function fieldsOf(schema: unknown, path: string[] = [], depth = 3): Field[] {
  if (!isSchema(schema) || depth < 0) return [];
  if ('x-json-limits' in schema) return [{ path, kind: 'free-form' }];
  const branch = firstBranch(schema);
  if (branch) return fieldsOf(branch, path, depth);
  const types = typesOf(schema);
  if (isSchema(schema['properties'])) {
    return Object.entries(schema['properties']).flatMap(([name, property]) =>
      fieldsOf(property, [...path, name], depth - 1),
    );
  }
  if (types.includes('array')) return fieldsOf(schema['items'], [...path, '0'], depth - 1);
  if ('const' in schema || 'enum' in schema) return [];
  if (types.includes('string')) return [{ path, kind: 'string' }];
  if (types.includes('integer') || types.includes('number')) return [{ path, kind: 'number' }];
  return [];
}

/** A copy of `value` with `replacement` at `path`, creating the objects and arrays on the way. */
export function withValueAt(value: unknown, path: string[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string, ...string[]];
  if (/^\d+$/.test(head)) {
    const list = Array.isArray(value) ? [...(value as unknown[])] : [];
    list[Number(head)] = withValueAt(list[Number(head)], rest, replacement);
    return list;
  }
  const record = isSchema(value) ? { ...value } : {};
  record[head] = withValueAt(record[head], rest, replacement);
  return record;
}
