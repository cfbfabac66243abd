import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { WorkflowFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { eventSignal, stateQuery } from '../../workflows/messages';
import { call, definePlan, expr, fail, receive, repeat, set } from './support/plans';
import { startProcessHarness, type ProcessHarness } from './support/process-harness';
import { recordHistory } from './support/history-recorder';

describe('continue-as-new inside a long top-level repeat', () => {
  let harness: ProcessHarness;
  beforeAll(async () => {
    harness = await startProcessHarness();
  });
  afterAll(async () => {
    await harness?.teardown();
  });

  const loop = repeat(
    'poll',
    [call('tick', 'test.echo', { round: expr('vars.count') }), set('bump', { count: expr('vars.count + 1') })],
    expr('vars.count >= 30'),
    100,
  );

  it('carries vars, step results, buffered events and the timeline seq into the next runs', async () => {
    const plan = definePlan('can-long', [
      set('init', { count: 0 }),
      call('before', 'test.echo', { marker: 'kept' }),
      loop,
      receive('late', 'go', { timeoutMs: 60_000, buffer: { after: null } }),
      call('after', 'test.echo', {
        before: expr('steps.before.marker'),
        lastTick: expr('steps.tick.round'),
        event: expr('steps.late.payload'),
      }),
    ]);
    const handle = await harness.start(plan, {}, { options: { continueAsNewAfterEvents: 40 } });
    const firstRunId = handle.firstExecutionRunId;
    await handle.signal(eventSignal, { event: 'go', eventId: 'g1', payload: { early: true } });
    const result = await handle.result();
    await recordHistory(handle, 'continue-as-new');
    expect(result.vars.count).toBe(30);
    const state = await handle.query(stateQuery);
    expect(state.steps.after).toEqual({ before: 'kept', lastTick: 29, event: { early: true } });
    expect(state.steps.poll).toEqual({ iterations: 30 });

    const described = await handle.describe();
    expect(described.runId).not.toBe(firstRunId);
    const projected = harness.engine.projection(handle.workflowId);
    const continued = projected.timeline.filter((entry) => entry.type === 'continued-as-new');
    expect(continued.length).toBeGreaterThanOrEqual(3);
    // The event arrived in the first run and was carried, buffered, to the receive in the last.
    const received = projected.timeline.find((entry) => entry.type === 'event.received');
    expect(received?.seq).toBeLessThan(continued[0]?.seq ?? 0);
    // One timeline across runs: seq 1..N without gaps or repeats.
    expect(projected.timeline.map((entry) => entry.seq)).toEqual(projected.timeline.map((_, index) => index + 1));
    expect(projected.timeline.filter((entry) => entry.type === 'instance.started')).toHaveLength(1);
    expect(projected.latest.startedAt).toBe(projected.timeline[0]?.at);
    const ticks = harness.engine.calls.filter(
      (c) => c.name === 'engine.projectInstance' && c.params.instanceId === handle.workflowId,
    );
    expect(ticks.length).toBeGreaterThan(continued.length);
  });

  it('a repeat that is not top-level keeps one history (documented limit)', async () => {
    const plan = definePlan('can-nested', [
      set('init', { count: 0 }),
      { kind: 'switch', id: 'wrap', path: '', cases: [{ when: expr('true'), steps: [loop] }] },
    ]);
    const handle = await harness.start(plan, {}, { options: { continueAsNewAfterEvents: 40 } });
    expect((await handle.result()).vars.count).toBe(30);
    expect((await handle.describe()).runId).toBe(handle.firstExecutionRunId);
  });

  it('a failure in a later run still undoes calls from the first run', async () => {
    const plan = definePlan('can-compensate', [
      set('init', { count: 0 }),
      call(
        'reserve',
        'test.echo',
        {},
        { compensate: [call('release', 'test.record', { key: expr('instance.id'), value: 'released' })] },
      ),
      loop,
      fail('late', 'late.failure'),
    ]);
    const handle = await harness.start(plan, {}, { options: { continueAsNewAfterEvents: 40 } });
    const error = (await handle.result().catch((failure: unknown) => failure)) as WorkflowFailedError;
    expect((error.cause as ApplicationFailure).type).toBe('late.failure');
    await recordHistory(handle, 'continue-as-new-compensate');
    expect((await handle.describe()).runId).not.toBe(handle.firstExecutionRunId);
    expect(harness.test.recorded(handle.workflowId)).toEqual(['released']);
  });
});
