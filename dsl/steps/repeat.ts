import { extendScope } from '../cel/scope-types';
import { ref } from '../schema-defs';
import { asPositiveInteger, BOOLEAN, isRecord, type StepKindDefinition } from './step-kind';

export const DEFAULT_MAX_ITERATIONS = 100;

/**
 * `{ id, repeat: { steps, until: =…, maxIterations?: 100 } }`: runs `steps`, then checks `until`
 * (which sees the body's steps), and again until it is true or `maxIterations` is reached. The
 * body runs at least once, so its steps are certain afterwards.
 */
export const repeatStep: StepKindDefinition<'repeat'> = {
  kind: 'repeat',
  schema: {
    required: ['repeat'],
    properties: {
      repeat: {
        type: 'object',
        required: ['steps', 'until'],
        properties: {
          steps: ref.steps,
          until: { ...ref.expression, description: 'Checked after each iteration; the loop ends when it is true.' },
          maxIterations: { type: 'integer', minimum: 1, description: 'Safety limit (default 100).' },
        },
        additionalProperties: false,
      },
    },
  },
  compile(step, ctx) {
    const repeat = isRecord(step.repeat) ? step.repeat : {};
    const body = ctx.sequence(['repeat', 'steps'], repeat.steps);
    const until = ctx.expr(['repeat', 'until'], repeat.until, BOOLEAN, extendScope(ctx.scope, body.certain)) ?? {
      $expr: 'true',
    };
    return {
      body: {
        steps: body.steps,
        until,
        maxIterations: asPositiveInteger(repeat.maxIterations) ?? DEFAULT_MAX_ITERATIONS,
      },
      certain: body.certain,
    };
  },
  resultSchema: () => ({}),
};
