/**
 * The shared building blocks of the template JSON Schema: each step kind's schema
 * (dsl/steps/<kind>.ts) refers to these, and dsl/schema.ts puts them under `$defs`.
 * `x-message` is what a designer is told when a value breaks the node's pattern or shape.
 */
export type JsonSchemaObject = { [keyword: string]: unknown };

export const ref = {
  expression: { $ref: '#/$defs/expression' },
  duration: { $ref: '#/$defs/duration' },
  durationOrExpression: { $ref: '#/$defs/durationOrExpression' },
  value: { $ref: '#/$defs/value' },
  identifier: { $ref: '#/$defs/identifier' },
  steps: { $ref: '#/$defs/steps' },
  candidates: { $ref: '#/$defs/candidates' },
  priority: { $ref: '#/$defs/priority' },
  formField: { $ref: '#/$defs/formField' },
  eventName: { $ref: '#/$defs/eventName' },
  templateKey: { $ref: '#/$defs/templateKey' },
  literalText: { $ref: '#/$defs/literalText' },
} as const;

export const IDENTIFIER_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';
export const TEMPLATE_KEY_PATTERN = '^[a-z][a-z0-9]*(-[a-z0-9]+)*$';
const DURATION_PATTERN = '^P(?!$)(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+(\\.\\d+)?H)?(\\d+(\\.\\d+)?M)?(\\d+(\\.\\d+)?S)?)?$';

export const SHARED_DEFS: Record<string, JsonSchemaObject> = {
  expression: {
    type: 'string',
    pattern: '^=',
    description: 'A CEL expression: a string starting with `=`, e.g. `=input.amount > 1000`.',
    'x-message': "must be an expression: a string starting with '=', e.g. =input.amount > 1000",
  },
  duration: {
    type: 'string',
    pattern: DURATION_PATTERN,
    description:
      'An ISO 8601 duration with a fixed length: weeks, days, hours, minutes, seconds (PT30M, PT4H, P2D, P1W).',
    'x-message': 'must be an ISO 8601 duration, e.g. PT30M, PT4H, P2D',
  },
  // if/else rather than one pattern: a malformed literal then fails `$defs/duration`, whose pattern
  // error check-schema leaves to the durations lint (it says why: months, negative, zero).
  durationOrExpression: {
    type: 'string',
    if: { pattern: '^=' },
    else: ref.duration,
    description:
      'An ISO 8601 duration with a fixed length (PT30M, PT4H, P2D, P1W), or an expression giving one, evaluated when the task opens (=steps.sla.responseWithin).',
  },
  value: {
    description:
      'Any value. Strings starting with `=` are expressions (`==` starts a literal `=`); objects and lists may contain expressions anywhere.',
  },
  literalText: {
    type: ['string', 'object'],
    additionalProperties: { type: 'string' },
    description:
      'A fixed text, the same in every locale or one per locale: { en: Approve, zh-CN: 批准 }. Not an expression: it is fixed when the template is published.',
    'x-message': 'must be a text or { en: <text>, zh-CN: <text> }',
  },
  identifier: {
    type: 'string',
    pattern: IDENTIFIER_PATTERN,
    description: 'Letters, digits and `_`, not starting with a digit, so expressions can name it (`steps.<id>`).',
    'x-message':
      "must be a name of letters, digits and '_' that does not start with a digit (expressions refer to it, e.g. steps.assignRep)",
  },
  templateKey: {
    type: 'string',
    pattern: TEMPLATE_KEY_PATTERN,
    maxLength: 64,
    description: 'A template key: lower-case words joined by `-`, e.g. `lead-assignment`.',
    'x-message': "must be lower-case words joined by '-', e.g. lead-assignment",
  },
  eventName: {
    type: 'string',
    pattern: '^[A-Za-z][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)*$',
    description: 'An event name, e.g. `lead.created`.',
    'x-message': 'must be an event name such as lead.created',
  },
  priority: {
    type: 'string',
    pattern: '^(low|normal|high|urgent)$|^=',
    description: '`low`, `normal` (default), `high`, `urgent`, or an expression giving one of them.',
    'x-message': 'must be low, normal, high, urgent or an expression',
  },
  candidates: {
    type: 'object',
    description:
      'Who may take the task: `role`, `users` (a list or an expression), and any further attribute filters (`region: =…`).',
    properties: { role: ref.value, users: ref.value },
    propertyNames: ref.identifier,
    additionalProperties: ref.value,
    minProperties: 1,
  },
  formField: {
    type: 'object',
    required: ['type'],
    properties: {
      type: { enum: ['string', 'number', 'integer', 'boolean', 'array', 'object'] },
      enum: { type: 'array' },
      minLength: { type: 'integer', minimum: 0 },
      maxLength: { type: 'integer', minimum: 0 },
      pattern: { type: 'string' },
      minimum: { type: 'number' },
      maximum: { type: 'number' },
      format: { enum: ['email', 'date', 'date-time', 'uri'] },
      items: ref.formField,
      title: { ...ref.literalText, description: 'The label the form shows: a text or { en: …, zh-CN: … }.' },
      description: { ...ref.literalText, description: 'Help under the field: a text or { en: …, zh-CN: … }.' },
      required: { type: 'boolean', description: "Shorthand for listing the field in the form's `required`." },
    },
    additionalProperties: false,
  },
};
