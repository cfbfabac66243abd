import { ref } from '../schema-defs';
import { isRecord, type StepKindDefinition } from './step-kind';

/**
 * `{ id, wait: PT4H }`, `{ id, wait: { duration: P2D } }` or `{ id, wait: { until: =… } }`: a timer,
 * for a duration or until a timestamp (an ISO 8601 string or a CEL timestamp).
 */
export const waitStep: StepKindDefinition<'wait'> = {
  kind: 'wait',
  schema: {
    required: ['wait'],
    properties: {
      wait: {
        type: ['string', 'object'],
        description: 'A duration (`PT4H`), `{ duration }` or `{ until: =… }`.',
        properties: { duration: ref.duration, until: ref.expression },
        additionalProperties: false,
      },
    },
  },
  compile(step, ctx) {
    if (typeof step.wait === 'string') {
      const durationMs = ctx.duration(['wait'], step.wait);
      return { body: durationMs !== undefined ? { durationMs } : {} };
    }
    const wait = isRecord(step.wait) ? step.wait : {};
    if (isRecord(step.wait) && (wait.duration === undefined) === (wait.until === undefined)) {
      ctx.report('schema.invalid', ['wait'], 'a wait needs exactly one of duration or until');
    }
    const durationMs = ctx.duration(['wait', 'duration'], wait.duration);
    const until = ctx.expr(['wait', 'until'], wait.until, { schema: { type: 'string' } });
    return { body: { ...(durationMs !== undefined ? { durationMs } : {}), ...(until ? { until } : {}) } };
  },
  resultSchema: () => ({}),
};
