import { extendScope, ROOT_NAMES } from '../cel/scope-types';
import { ref } from '../schema-defs';
import { asPositiveInteger, asString, isRecord, type StepKindDefinition } from './step-kind';

/**
 * `{ id, forEach: { items: =…, as?: item, concurrent?: false, maxConcurrency?, steps } }`: runs
 * `steps` once per item, with the item under `as` (default `item`) and its position as `index`.
 * The item is typed from the list's schema. Nothing inside is certain afterwards (the list may be
 * empty).
 */
export const forEachStep: StepKindDefinition<'forEach'> = {
  kind: 'forEach',
  schema: {
    required: ['forEach'],
    properties: {
      forEach: {
        type: 'object',
        required: ['items', 'steps'],
        properties: {
          items: { ...ref.expression, description: 'An expression giving a list.' },
          as: { ...ref.identifier, description: 'The loop variable (default `item`).' },
          concurrent: { type: 'boolean', description: 'Run iterations at once (default false: one after another).' },
          maxConcurrency: { type: 'integer', minimum: 1 },
          steps: ref.steps,
        },
        additionalProperties: false,
      },
    },
  },
  compile(step, ctx) {
    const forEach = isRecord(step.forEach) ? step.forEach : {};
    const as = asString(forEach.as) ?? 'item';
    if ((ROOT_NAMES as readonly string[]).includes(as) || as === 'index' || ctx.scope.locals.has(as)) {
      ctx.report(
        'schema.invalid',
        ['forEach', 'as'],
        `'${as}' is already a name in expressions here; choose another loop variable`,
      );
    }
    const items = ctx.expr(['forEach', 'items'], forEach.items, { schema: { type: 'array' } }) ?? { $expr: '[]' };
    const itemSchema = ctx.itemSchemaOf(items.$expr, ctx.scope);
    const inner = extendScope(ctx.scope, {
      locals: new Map([
        [as, itemSchema],
        ['index', { type: 'number' }],
      ]),
    });
    const maxConcurrency = asPositiveInteger(forEach.maxConcurrency);
    return {
      body: {
        items,
        as,
        concurrent: forEach.concurrent === true,
        ...(maxConcurrency !== undefined ? { maxConcurrency } : {}),
        steps: ctx.sequence(['forEach', 'steps'], forEach.steps, inner).steps,
      },
    };
  },
  resultSchema: () => ({}),
};
