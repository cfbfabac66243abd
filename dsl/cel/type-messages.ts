import type { JsonSchema } from './schema-types';

/** A CEL checker message in words a designer reads, with a hint where one helps. */
export function describeTypeError(summary: string): string {
  const overload = /^no such overload: (\S+) (\S+) (\S+)$/.exec(summary);
  if (overload) {
    const [, left = '', op = '', right = ''] = overload;
    const comparison = ['==', '!=', '<', '<=', '>', '>='].includes(op);
    let hint = '';
    if ((left === 'null' || right === 'null') && (op === '==' || op === '!='))
      hint = '; to test whether an optional field is set, use has(…)';
    else if (isNumeric(left) !== isNumeric(right) && (left === 'string' || right === 'string'))
      hint = '; convert one side with string(…) or double(…)';
    return comparison
      ? `cannot compare ${left} with ${right} using '${op}'${hint}`
      : `operator '${op}' does not apply to ${left} and ${right}${hint}`;
  }
  const unary = /^no such overload: (\S+)(\S+)$/.exec(summary);
  if (unary) return `operator '${unary[1]}' does not apply to ${unary[2]}`;
  return summary;
}

function isNumeric(type: string): boolean {
  return type === 'int' || type === 'uint' || type === 'double';
}

/** The JSON kinds a value of this CEL type turns into when the workflow renders it (see toJson). */
function jsonKindsOf(celType: string): string[] | undefined {
  if (celType === 'dyn' || celType.startsWith('dyn<')) return undefined;
  switch (celType) {
    case 'string':
    case 'google.protobuf.Timestamp':
    case 'timestamp':
      return ['string'];
    case 'double':
    case 'int':
    case 'uint':
      return ['number', 'integer'];
    case 'bool':
      return ['boolean'];
    case 'null':
    case 'null_type':
      return ['null'];
    case 'bytes':
    case 'google.protobuf.Duration':
    case 'duration':
    case 'type':
      return undefined;
    default:
      if (celType.startsWith('list')) return ['array'];
      return ['object'];
  }
}

/** Whether a value of `celType` can satisfy `schema`'s `type`; unknowable means yes. */
export function fitsSchema(celType: string, schema: JsonSchema): boolean {
  if (typeof schema !== 'object' || schema.type === undefined) return true;
  const kinds = jsonKindsOf(celType);
  if (!kinds) return true;
  const expected = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  return expected.some((type) => kinds.includes(type));
}

/** `a string`, `a number`, `true or false` for a schema's type. */
export function describeSchemaType(schema: JsonSchema): string {
  if (typeof schema !== 'object') return 'a value';
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  const words: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    integer: 'a whole number',
    boolean: 'true or false',
    array: 'a list',
    object: 'a mapping',
    null: 'null',
  };
  return types.map((type) => words[type] ?? type).join(' or ');
}

/** `double` as the designer knows it from JSON: a string, a number, a list, a mapping. */
export function describeCelType(celType: string): string {
  const kinds = jsonKindsOf(celType);
  if (!kinds) return celType;
  const words: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    boolean: 'true or false',
    array: 'a list',
    object: 'a mapping',
    null: 'null',
  };
  return words[kinds[0] ?? ''] ?? celType;
}
