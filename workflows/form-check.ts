import type { FormFieldSchema, FormSchema, Json } from '../dsl/plan';

/**
 * Checks task form data against the FormSchema subset inside the workflow sandbox (ajv
 * generates code, which the sandbox must not run). Returns every problem, not the first.
 * `pattern` comes from a published template (designers are trusted); a pathological pattern
 * would still count against the 5 s activation CPU limit.
 */
export function checkForm(schema: FormSchema, data: unknown): string[] {
  if (!isPlainObject(data)) return ['form: must be an object'];
  const problems: string[] = [];
  for (const name of schema.required ?? []) {
    if (data[name] === undefined || data[name] === null) problems.push(`form.${name}: is required`);
  }
  for (const [name, value] of Object.entries(data)) {
    const field = schema.properties[name];
    if (!field) {
      if (schema.additionalProperties === false) problems.push(`form.${name}: is not a field of this form`);
      continue;
    }
    if (value !== null && value !== undefined) checkField(field, value as Json, `form.${name}`, problems);
  }
  return problems;
}

function checkField(field: FormFieldSchema, value: Json, path: string, problems: string[]): void {
  if (!hasType(field.type, value)) {
    problems.push(`${path}: must be ${field.type === 'integer' ? 'an integer' : `a ${field.type}`}`);
    return;
  }
  if (field.enum && !field.enum.some((allowed) => sameJson(allowed, value))) {
    problems.push(`${path}: must be one of ${field.enum.map((allowed) => JSON.stringify(allowed)).join(', ')}`);
  }
  if (typeof value === 'string') checkString(field, value, path, problems);
  if (typeof value === 'number') {
    if (field.minimum !== undefined && value < field.minimum)
      problems.push(`${path}: must be at least ${field.minimum}`);
    if (field.maximum !== undefined && value > field.maximum)
      problems.push(`${path}: must be at most ${field.maximum}`);
  }
  if (Array.isArray(value) && field.items) {
    const items = field.items;
    value.forEach((item, index) => checkField(items, item, `${path}[${index}]`, problems));
  }
}

function checkString(field: FormFieldSchema, value: string, path: string, problems: string[]): void {
  const length = [...value].length;
  if (field.minLength !== undefined && length < field.minLength)
    problems.push(`${path}: must be at least ${field.minLength} characters`);
  if (field.maxLength !== undefined && length > field.maxLength)
    problems.push(`${path}: must be at most ${field.maxLength} characters`);
  if (field.pattern !== undefined && !new RegExp(field.pattern, 'u').test(value))
    problems.push(`${path}: must match ${field.pattern}`);
  if (field.format && !FORMATS[field.format](value)) problems.push(`${path}: must be a valid ${field.format}`);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/u;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/u;
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/u;

const FORMATS: Record<NonNullable<FormFieldSchema['format']>, (value: string) => boolean> = {
  email: (value) => EMAIL.test(value),
  date: isCalendarDate,
  'date-time': (value) => {
    const match = DATE_TIME.exec(value);
    if (!match || !isCalendarDate(match[1] ?? '')) return false;
    return Number(match[2]) <= 23 && Number(match[3]) <= 59 && Number(match[4]) <= 60;
  },
  uri: (value) => URI.test(value),
};

function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

function hasType(type: FormFieldSchema['type'], value: Json): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isPlainObject(value);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameJson(a: Json, b: Json): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
