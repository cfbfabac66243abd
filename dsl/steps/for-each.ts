import { extendScope, ROOT_NAMES } from '../cel/scope-types';
import { ref } from '../schema-defs';
import {
  asPositiveInteger,
  asString,
  BOOLEAN,
  COMPLETION_LOCALS,
  isRecord,
  type StepKindDefinition,
} from './step-kind';

/**
 * `{ id, forEach: { items: =…, as?: item, concurrent?: false, maxConcurrency?, steps } }`: runs
 * `steps` once per item, with the item under `as` (default `item`) and its position as `index`.
 * The item is typed from the list's schema. Nothing inside is certain afterwards (the list may be
 * empty). With `concurrent`, `completion: =…` is checked as each iteration finishes (seeing that
 * iteration's item, index and steps, and `completed`, `total`); when true the running iterations
 * are cancelled and the step completes.
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
          completion: {
            ...ref.expression,
            description:
              'With `concurrent`: checked as each iteration finishes; when true the running ones are cancelled (their tasks withdrawn) and the step completes.',
          },
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
    const body = ctx.sequence(['forEach', 'steps'], forEach.steps, inner);
    const completion = ctx.expr(
      ['forEach', 'completion'],
      forEach.completion,
      BOOLEAN,
      extendScope(inner, { ...body.certain, locals: new Map(COMPLETION_LOCALS) }),
    );
    return {
      body: {
        items,
        as,
        concurrent: forEach.concurrent === true,
        ...(maxConcurrency !== undefined ? { maxConcurrency } : {}),
        steps: body.steps,
        ...(completion ? { completion } : {}),
      },
    };
  },
  resultSchema: () => ({}),
};
