import {
  toErrorSchema,
  type ErrorTransformer,
  type RJSFSchema,
  type RJSFValidationError,
  type ValidationData,
  type ValidatorType,
} from '@rjsf/utils';

/*
 * A JSON Schema validator for task forms that compiles nothing: @rjsf/validator-ajv8 builds its
 * checks with `new Function`, which the app's Content-Security-Policy (script-src 'self', no
 * 'unsafe-eval') rightly refuses. Task forms are flat objects of plain fields (dsl/steps/task-form),
 * so the keywords they use are checked here directly; the server checks the whole schema again.
 */

type Schema = RJSFSchema;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const typeMatches = (expected: string, actual: string) =>
  expected === actual || (expected === 'number' && actual === 'integer');

function error(property: string, name: string, message: string, params: Record<string, unknown>): RJSFValidationError {
  return { name, property, message, params, stack: `${property || '.'} ${message}`.trim(), schemaPath: '' };
}

function check(schema: Schema, value: unknown, path: string, errors: RJSFValidationError[]): void {
  if (value === undefined) return;
  const actual = typeOf(value);
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length > 0 && !types.some((type) => typeMatches(String(type), actual))) {
    errors.push(error(path, 'type', `must be ${types.join(' or ')}`, { type: types.join(',') }));
    return;
  }
  if (schema.enum && !schema.enum.some((option) => JSON.stringify(option) === JSON.stringify(value))) {
    errors.push(error(path, 'enum', 'must be one of the allowed values', { allowedValues: schema.enum }));
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (schema.minLength !== undefined && length < schema.minLength) {
      errors.push(
        error(path, 'minLength', `must have at least ${schema.minLength} characters`, { limit: schema.minLength }),
      );
    }
    if (schema.maxLength !== undefined && length > schema.maxLength) {
      errors.push(
        error(path, 'maxLength', `must have at most ${schema.maxLength} characters`, { limit: schema.maxLength }),
      );
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
      errors.push(error(path, 'pattern', 'has the wrong form', { pattern: schema.pattern }));
    }
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) {
      errors.push(error(path, 'minimum', `must be >= ${schema.minimum}`, { limit: schema.minimum }));
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      errors.push(error(path, 'maximum', `must be <= ${schema.maximum}`, { limit: schema.maximum }));
    }
  }
  if (Array.isArray(value) && schema.items && typeof schema.items === 'object' && !Array.isArray(schema.items)) {
    value.forEach((item, index) => check(schema.items as Schema, item, `${path}.${index}`, errors));
  }
  if (actual === 'object') {
    const record = value as Record<string, unknown>;
    for (const name of schema.required ?? []) {
      if (record[name] === undefined || record[name] === '') {
        errors.push(error(`${path}.${name}`, 'required', 'is required', { missingProperty: name }));
      }
    }
    for (const [name, field] of Object.entries(schema.properties ?? {})) {
      if (typeof field === 'object') check(field, record[name], `${path}.${name}`, errors);
    }
  }
}

export function formErrors(schema: Schema, formData: unknown): RJSFValidationError[] {
  const errors: RJSFValidationError[] = [];
  check(schema, formData ?? {}, '', errors);
  return errors;
}

export const formValidator: ValidatorType = {
  validateFormData(formData, schema, _customValidate, transformErrors?: ErrorTransformer): ValidationData<unknown> {
    let errors = formErrors(schema, formData);
    if (transformErrors) errors = transformErrors(errors);
    return { errors, errorSchema: toErrorSchema(errors) };
  },
  isValid: (schema, formData) => formErrors(schema, formData).length === 0,
  rawValidation: (schema, formData) => ({ errors: formErrors(schema, formData) as never[] }),
};
