import { condition } from '@temporalio/workflow';
import type { Json, ReceiveStep } from '../../dsl/plan';
import { describeFailure, processFailure } from '../failure';
import { extendFrame, type Frame } from '../frame';
import type { InstanceEvent } from '../../contracts/engine';
import type { ProcessInstance } from '../process-instance';
import { flushProjection } from '../projection';
import type { StepExecutor } from './context';

/**
 * Takes the first event named `event` whose `match` holds (with its payload bound as `payload`,
 * the compiler's name, and as `event`),
 * from the instance's inbox: one arriving while the step waits or, with `buffer`, one kept from
 * before (see ProcessInstance.eventWindowStart).
 * Result `{ payload, eventId, timedOut: false }`; on timeout the `onTimeout` steps run and the
 * result is `{ payload: null, timedOut: true }`, or without them the step fails with `receive.timeout`.
 */
export const runReceive: StepExecutor<ReceiveStep> = async (step, { instance, frame, runSteps }): Promise<Json> => {
  const taker = eventTaker(instance, step, frame);
  let taken = taker.take();
  if (!taken) {
    await instance.listen(step.event, async () => {
      await flushProjection(instance);
      const done = () => (taken ??= taker.take()) !== undefined || taker.error !== null;
      if (step.timeoutMs === undefined) await condition(done);
      else await condition(done, step.timeoutMs);
    });
  }
  if (taker.error) throw taker.error;
  if (taken) return { payload: taken.payload, eventId: taken.eventId, timedOut: false };
  if (!step.onTimeout)
    throw processFailure('receive.timeout', `step ${step.id}: no '${step.event}' event within ${step.timeoutMs} ms`);
  await runSteps(step.onTimeout, frame);
  return { payload: null, timedOut: true };
};

/**
 * Scans the inbox only when a new event has arrived since the last scan (conditions are
 * re-checked on every activation). A `match` that cannot be evaluated stops the wait and
 * fails the step, rather than throwing inside the condition.
 */
function eventTaker(instance: ProcessInstance, step: ReceiveStep, frame: Frame) {
  let scannedVersion = -1;
  const since = instance.eventWindowStart(step);
  instance.dropEventsBefore(step.event, since);
  const state = {
    error: null as Error | null,
    take(): InstanceEvent | undefined {
      if (scannedVersion === instance.events.version || state.error) return undefined;
      scannedVersion = instance.events.version;
      return instance.events.take((event) => event.event === step.event && matches(event), since);
    },
  };
  const matches = (event: InstanceEvent): boolean => {
    if (!step.match || state.error) return !state.error;
    try {
      return instance.holds(step.match, extendFrame(frame, { payload: event.payload, event: event.payload }));
    } catch (error) {
      state.error = processFailure('receive.match-failed', `step ${step.id}: ${describeFailure(error).message}`);
      return false;
    }
  };
  return state;
}
