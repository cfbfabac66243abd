import { extendScope } from '../cel/scope-types';
import { ref } from '../schema-defs';
import { asString, BOOLEAN, isRecord, type StepKindDefinition } from './step-kind';

/**
 * `{ id, receive: { event: stock.received, match?: =payload.orderId == input.orderId, timeout?: P2D, onTimeout?: [steps], buffer?: true | { after: stepId } } }`:
 * waits for an external event. `match` sees the candidate event's payload as `payload`. Its
 * result is `{ payload, timedOut }`; on a timeout `onTimeout` runs, or without it the step fails.
 */
export const receiveStep: StepKindDefinition<'receive'> = {
  kind: 'receive',
  schema: {
    required: ['receive'],
    properties: {
      receive: {
        type: 'object',
        required: ['event'],
        properties: {
          event: ref.eventName,
          match: { ...ref.expression, description: 'Only events whose `payload` makes this true are taken.' },
          timeout: ref.duration,
          onTimeout: ref.steps,
          buffer: {
            description:
              'Which events that arrived before the step started it may still take: `true` any since the instance started, `{ after: <step id> }` those since that step last finished. Without it only events arriving while the step waits are taken; an event no receive waits for, or buffers, is ignored.',
            oneOf: [
              { const: true },
              {
                type: 'object',
                required: ['after'],
                properties: { after: ref.identifier },
                additionalProperties: false,
              },
            ],
          },
        },
        dependentRequired: { onTimeout: ['timeout'] },
        additionalProperties: false,
      },
    },
  },
  compile(step, ctx) {
    const receive = isRecord(step.receive) ? step.receive : {};
    const matchScope = extendScope(ctx.scope, { locals: new Map([['payload', {}]]) });
    const match = ctx.expr(['receive', 'match'], receive.match, BOOLEAN, matchScope);
    const timeoutMs = ctx.duration(['receive', 'timeout'], receive.timeout);
    return {
      body: {
        event: asString(receive.event) ?? '',
        ...(match ? { match } : {}),
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        ...bufferOf(receive.buffer),
        ...(receive.onTimeout !== undefined
          ? { onTimeout: ctx.sequence(['receive', 'onTimeout'], receive.onTimeout).steps }
          : {}),
      },
    };
  },
  resultSchema: () => ({ type: 'object', properties: { payload: {}, timedOut: { type: 'boolean' } } }),
};

/** `buffer: true` keeps events from the start; `{ after }` from that step's last finish. */
function bufferOf(value: unknown): { buffer?: { after: string | null } } {
  if (value === true) return { buffer: { after: null } };
  const after = isRecord(value) ? asString(value.after) : undefined;
  return after !== undefined ? { buffer: { after } } : {};
}
