import { ref } from '../schema-defs';
import { asString, isRecord, type StepKindDefinition } from './step-kind';

/** `{ id, fail: { code: quote.rejected, message: … } }`: fails the instance with a stable code (compensation runs). */
export const failStep: StepKindDefinition<'fail'> = {
  kind: 'fail',
  schema: {
    required: ['fail'],
    properties: {
      fail: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: {
            type: 'string',
            pattern: '^[a-z][a-zA-Z0-9_-]*(\\.[a-zA-Z0-9_-]+)*$',
            'x-message': 'must be a stable code such as quote.rejected',
          },
          message: ref.value,
        },
        additionalProperties: false,
      },
    },
  },
  compile(step, ctx) {
    const fail = isRecord(step.fail) ? step.fail : {};
    return { body: { code: asString(fail.code) ?? '', message: ctx.value(['fail', 'message'], fail.message ?? '') } };
  },
  resultSchema: () => ({}),
};
