import { ref } from '../schema-defs';
import { isRecord, type StepKindDefinition } from './step-kind';

/** `{ id, end: { result?: … } }` (or `end: {}` / `end:`): completes the instance, with `result` as its result. */
export const endStep: StepKindDefinition<'end'> = {
  kind: 'end',
  schema: {
    required: ['end'],
    properties: {
      end: { type: ['object', 'null'], properties: { result: ref.value }, additionalProperties: false },
    },
  },
  compile(step, ctx) {
    const end = isRecord(step.end) ? step.end : {};
    return { body: end.result !== undefined ? { result: ctx.value(['end', 'result'], end.result) } : {} };
  },
  resultSchema: () => ({}),
};
