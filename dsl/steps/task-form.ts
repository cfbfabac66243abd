import type { FormFieldSchema, FormSchema } from '../plan';
import { ref, type JsonSchemaObject } from '../schema-defs';
import { isRecord } from './step-kind';

/**
 * A task's `form`: either the shorthand, a mapping of field name to field schema with
 * `required: true` on the fields that must be filled in (`form: { notes: { type: string } }`), or
 * the full FormSchema (`{ type: object, properties, required, additionalProperties }`).
 */
export const FORM_SCHEMA: JsonSchemaObject = {
  type: 'object',
  description:
    'The form a completion carries: `{ field: { type, … , required?: true } }`, or a full `{ type: object, properties, required }`.',
  if: { required: ['type', 'properties'], properties: { type: { const: 'object' } } },
  then: {
    properties: {
      type: { const: 'object' },
      properties: { type: 'object', propertyNames: ref.identifier, additionalProperties: ref.formField },
      required: { type: 'array', items: { type: 'string' } },
      additionalProperties: { type: 'boolean' },
    },
    additionalProperties: false,
  },
  else: { propertyNames: ref.identifier, additionalProperties: ref.formField },
};

export function compileForm(raw: unknown): FormSchema | undefined {
  if (!isRecord(raw)) return undefined;
  const full = raw.type === 'object' && isRecord(raw.properties);
  const fields = (full ? raw.properties : raw) as Record<string, unknown>;
  const required = new Set(
    full && Array.isArray(raw.required) ? raw.required.filter((r): r is string => typeof r === 'string') : [],
  );
  const properties: Record<string, FormFieldSchema> = {};
  for (const [name, field] of Object.entries(fields)) {
    if (!isRecord(field)) continue;
    if (field.required === true) required.add(name);
    properties[name] = compileField(field);
  }
  return {
    type: 'object',
    properties,
    ...(required.size > 0 ? { required: [...required] } : {}),
    ...(full && typeof raw.additionalProperties === 'boolean'
      ? { additionalProperties: raw.additionalProperties }
      : {}),
  };
}

function compileField(field: Record<string, unknown>): FormFieldSchema {
  const { required: _required, items, ...rest } = field;
  return { ...(rest as unknown as FormFieldSchema), ...(isRecord(items) ? { items: compileField(items) } : {}) };
}
