import { extendScope } from '../cel/scope-types';
import { ref } from '../schema-defs';
import { asString, BOOLEAN, isRecord, type StepKindDefinition } from './step-kind';

/**
 * `{ id, receive: { event: stock.received, match?: =payload.orderId == input.orderId, timeout?: P2D, onTimeout?: [steps] } }`:
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
        ...(receive.onTimeout !== undefined
          ? { onTimeout: ctx.sequence(['receive', 'onTimeout'], receive.onTimeout).steps }
          : {}),
      },
    };
  },
  resultSchema: () => ({ type: 'object', properties: { payload: {}, timedOut: { type: 'boolean' } } }),
};
