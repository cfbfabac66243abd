import type { Environment } from '@marcbachmann/cel-js';

/** A JSON Schema as data (TypeBox schemas are plain JSON Schema too). */
export type JsonSchema = boolean | { [keyword: string]: unknown };

const MAX_DEPTH = 8;

/**
 * Declares CEL types for JSON Schemas in one checking environment, so the type checker knows the
 * fields of `input`, of step results and of loop variables. An object with `properties` becomes a
 * closed message type (a misspelt field is an error); a map-like object (`additionalProperties`,
 * `patternProperties`) a `map<string, T>`; `number` and `integer` both `double`, because JSON
 * numbers are doubles when the workflow evaluates; anything the checker cannot know (nullable,
 * unions, `$ref`, no `type`) `dyn`. Nested types are registered before the types that use them.
 */
export class CelTypeRegistrar {
  private readonly names = new Set<string>();
  private readonly schemas = new Map<string, JsonSchema>();

  constructor(private readonly env: Environment) {}

  /** The CEL type string for `schema`, registering message types named after `name` as needed. */
  declare(schema: JsonSchema, name: string, depth = 0): string {
    if (typeof schema !== 'object' || depth > MAX_DEPTH) return 'dyn';
    const type = schema.type;
    if (Array.isArray(type)) return type.length === 1 ? this.declare({ ...schema, type: type[0] }, name, depth) : 'dyn';
    if (type === undefined)
      return enumType(schema) ?? (isObjectLike(schema) ? this.declareObject(schema, name, depth) : 'dyn');
    switch (type) {
      case 'string':
        return 'string';
      case 'number':
      case 'integer':
        return 'double';
      case 'boolean':
        return 'bool';
      case 'array': {
        const items = schema.items;
        if (items === undefined || typeof items === 'boolean') return 'list<dyn>';
        const element = this.declare(items as JsonSchema, `${name}.item`, depth + 1);
        return `list<${element}>`;
      }
      case 'object':
        return this.declareObject(schema, name, depth);
      default:
        return 'dyn';
    }
  }

  /** The JSON Schema behind a CEL type this registrar produced, e.g. for a forEach item. */
  schemaOf(celType: string): JsonSchema {
    switch (celType) {
      case 'string':
        return { type: 'string' };
      case 'double':
      case 'int':
      case 'uint':
        return { type: 'number' };
      case 'bool':
        return { type: 'boolean' };
      default: {
        const list = /^list<(.+)>$/.exec(celType);
        if (list?.[1]) return { type: 'array', items: this.schemaOf(list[1]) };
        return this.schemas.get(celType) ?? {};
      }
    }
  }

  private declareObject(schema: { [keyword: string]: unknown }, name: string, depth: number): string {
    const properties = schema.properties;
    if (properties && typeof properties === 'object' && Object.keys(properties).length > 0) {
      const fields: Record<string, string> = {};
      for (const [key, property] of Object.entries(properties as Record<string, JsonSchema>)) {
        fields[key] = this.declare(property, `${name}.${key}`, depth + 1);
      }
      const typeName = this.uniqueName(name);
      this.env.registerType(typeName, { fields });
      this.schemas.set(typeName, schema);
      return typeName;
    }
    const additional = schema.additionalProperties;
    if (additional && typeof additional === 'object')
      return `map<string, ${this.declare(additional as JsonSchema, `${name}.value`, depth + 1)}>`;
    const patterns = schema.patternProperties;
    if (patterns && typeof patterns === 'object') {
      const values = Object.values(patterns as Record<string, JsonSchema>);
      if (values.length === 1 && values[0] !== undefined)
        return `map<string, ${this.declare(values[0], `${name}.value`, depth + 1)}>`;
    }
    return 'map<string, dyn>';
  }

  // CEL type names are global to an environment and must not look like generic types.
  private uniqueName(name: string): string {
    const base = name.replace(/[^A-Za-z0-9_.]/g, '_').replace(/^[^A-Za-z_]/, '_$&');
    let candidate = base.length < 2 ? `${base}_` : base;
    for (let i = 2; this.names.has(candidate); i++) candidate = `${base}_${i}`;
    this.names.add(candidate);
    return candidate;
  }
}

function enumType(schema: { [keyword: string]: unknown }): string | undefined {
  const values = Array.isArray(schema.enum) ? schema.enum : 'const' in schema ? [schema.const] : undefined;
  if (!values || values.length === 0) return undefined;
  if (values.every((v) => typeof v === 'string')) return 'string';
  if (values.every((v) => typeof v === 'number')) return 'double';
  if (values.every((v) => typeof v === 'boolean')) return 'bool';
  return 'dyn';
}

function isObjectLike(schema: { [keyword: string]: unknown }): boolean {
  return 'properties' in schema || 'additionalProperties' in schema || 'patternProperties' in schema;
}

/** The subschema a value at `path` inside data valid for `schema` must match; `{}` when unknown. */
export function subschemaAt(schema: JsonSchema, path: readonly (string | number)[]): JsonSchema {
  let current: JsonSchema = schema;
  for (const segment of path) {
    if (typeof current !== 'object') return current;
    if (typeof segment === 'number') {
      current = (current.items as JsonSchema | undefined) ?? {};
      continue;
    }
    const properties = current.properties as Record<string, JsonSchema> | undefined;
    const additional = current.additionalProperties as JsonSchema | undefined;
    current = properties?.[segment] ?? (typeof additional === 'object' ? additional : {});
  }
  return current;
}
