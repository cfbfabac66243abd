import { IDENTIFIER_PATTERN, ref, SHARED_DEFS, type JsonSchemaObject } from './schema-defs';
import { COMMON_STEP_KEYS, STEP_KIND_DEFINITIONS } from './steps';

export const TEMPLATE_SCHEMA_ID = 'https://crm-process-engine.example/api/v1/schema/template';

const STEP_SCHEMA: JsonSchemaObject = {
  type: 'object',
  description:
    'One step: an `id` and exactly one kind key (call, task, switch, parallel, forEach, repeat, wait, receive, process, set, end, fail).',
  required: ['id'],
  properties: {
    id: { ...ref.identifier, description: "Unique in the template; the step's result is `steps.<id>`." },
    if: { ...ref.expression, description: 'Skip the step unless this is true.' },
    onError: {
      type: 'object',
      required: ['steps'],
      properties: {
        steps: { ...ref.steps, description: 'Run when this step fails.' },
        then: {
          enum: ['continue', 'fail'],
          description: 'Afterwards continue with the next step, or fail the instance (default).',
        },
      },
      additionalProperties: false,
    },
  },
  // Each kind's keys apply when the step has that kind's key; anything else is an unknown key.
  allOf: Object.values(STEP_KIND_DEFINITIONS).map((definition) => ({
    if: { required: [definition.kind] },
    then: definition.schema,
  })),
  unevaluatedProperties: false,
};

/**
 * The JSON Schema of a process template (draft 2020-12), served at GET /api/v1/schema/template.
 * The compiler validates against it first; step kinds contribute their own parts
 * (dsl/steps/<kind>.ts). What a schema cannot say well (unknown activities, durations' meaning,
 * expressions, references, reachability) the lint rules check.
 */
export const TEMPLATE_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: TEMPLATE_SCHEMA_ID,
  title: 'Process template',
  description: 'A CRM process template: its start input, triggers, variables and steps.',
  type: 'object',
  required: ['key', 'name', 'input', 'steps'],
  properties: {
    key: { ...ref.templateKey, description: 'The template key, e.g. `lead-assignment`; stable across versions.' },
    name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    input: {
      type: 'object',
      required: ['type'],
      properties: { type: { const: 'object' } },
      description: 'JSON Schema (an object schema) of the start input; the API validates starts against it.',
      'x-message': 'must be a JSON Schema with type: object',
    },
    businessKey: { ...ref.expression, description: 'An expression naming the business object, e.g. `=input.leadId`.' },
    triggers: {
      type: 'array',
      items: { type: 'object', required: ['event'], properties: { event: ref.eventName }, additionalProperties: false },
      description: 'Events that start an instance, e.g. `[{ event: lead.created }]`.',
    },
    startableBy: {
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: 50 },
      uniqueItems: true,
      maxItems: 50,
      description:
        'Roles whose holders may start an instance by hand (POST /instances); replaces the built-in default. Admins always may; API keys need the template in their scope.',
    },
    vars: {
      type: 'object',
      propertyNames: ref.identifier,
      additionalProperties: ref.value,
      description: 'Variables and their initial values; expressions read them as `vars.<name>`.',
    },
    steps: ref.steps,
    onFailure: { ...ref.steps, description: 'Runs when the instance fails, after compensation.' },
  },
  additionalProperties: false,
  $defs: {
    ...SHARED_DEFS,
    steps: { type: 'array', items: { $ref: '#/$defs/step' } },
    step: STEP_SCHEMA,
  },
} as const satisfies JsonSchemaObject;

export const STEP_ID_PATTERN = IDENTIFIER_PATTERN;
export { COMMON_STEP_KEYS };
