import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure, type ApplicationFailure } from '@temporalio/common';
import { stateQuery } from '../../workflows/messages';
import { call, definePlan, expr, fail, forEach, task } from './support/plans';
import { eventually, startProcessHarness, type ProcessHarness } from './support/process-harness';
import { failIncident } from './support/incidents';
import { recordHistory } from './support/history-recorder';

describe('compensation (saga) on failure and on cancel', () => {
  let harness: ProcessHarness;
  // Real time on the dev server: these tests cancel instances, and on the time-skipping server
  // time can skip while a cancellation's workflow tasks are in flight (TimeoutFailure). No timers here.
  beforeAll(async () => {
    harness = await startProcessHarness({ server: 'dev' });
  });
  afterAll(async () => {
    await harness?.teardown();
  });

  const record = (value: string | { $expr: string }) => call(`rec`, 'test.record', { key: expr('instance.id'), value });
  const undoable = (id: string, undo: string | { $expr: string }) =>
    call(id, 'test.echo', { id }, { compensate: [record(undo)] });

  it('a failure that ends the instance undoes succeeded calls newest first, then runs onFailure', async () => {
    const plan = definePlan(
      'saga-fail',
      [
        undoable('reserveStock', 'release stock'),
        undoable('chargeCard', expr('"refund " + steps.chargeCard.id')),
        forEach('ship', expr('input.parcels'), 'parcel', [
          call(
            'book',
            'test.echo',
            { parcel: expr('parcel') },
            { compensate: [record(expr('"cancel parcel " + steps.book.parcel'))] },
          ),
        ]),
        call('notify', 'test.fail', { type: 'carrier.down' }),
        undoable('never', 'never undone'),
      ],
      { onFailure: [record(expr('"onFailure " + error.code'))] },
    );
    const handle = await harness.start(plan, { parcels: ['p1', 'p2'] });
    expect(await failIncident(handle)).toMatchObject({ stepId: 'notify', code: 'carrier.down' });
    const error = (await handle.result().catch((failure: unknown) => failure)) as WorkflowFailedError;
    expect((error.cause as ApplicationFailure).type).toBe('carrier.down');
    await recordHistory(handle, 'saga-failure');
    expect(harness.test.recorded(handle.workflowId)).toEqual([
      'cancel parcel p2',
      'cancel parcel p1',
      'refund chargeCard',
      'release stock',
      'onFailure carrier.down',
    ]);
    const types = harness.engine.projection(handle.workflowId).timeline.map((entry) => entry.type);
    expect(types.filter((type) => type.startsWith('compensation.'))).toHaveLength(8);
    expect(types.at(-1)).toBe('instance.failed');
  });

  it('onError that continues does not compensate', async () => {
    const plan = definePlan('saga-continue', [
      undoable('a', 'undo a'),
      call('b', 'test.fail', { type: 'minor' }, { onError: { steps: [], then: 'continue' } }),
    ]);
    const handle = await harness.start(plan);
    await handle.result();
    expect(harness.test.recorded(handle.workflowId)).toEqual([]);
  });

  it('cancelling the instance undoes in reverse, cancels its open task and projects cancelled', async () => {
    const plan = definePlan('saga-cancel', [
      undoable('a', 'undo a'),
      undoable('b', 'undo b'),
      task('approve', { outcomes: ['ok'] }),
    ]);
    const handle = await harness.start(plan);
    await eventually(
      () => (harness.engine.callsOf('engine.openTask', handle.workflowId).length === 1 ? true : undefined),
      'task open',
    );
    await handle.cancel();
    const error = (await handle.result().catch((failure: unknown) => failure)) as WorkflowFailedError;
    expect(error.cause).toBeInstanceOf(CancelledFailure);
    await recordHistory(handle, 'saga-cancel');
    expect(harness.test.recorded(handle.workflowId)).toEqual(['undo b', 'undo a']);
    expect(harness.engine.callsOf('engine.updateTask', handle.workflowId).map((update) => update.change.type)).toEqual([
      'cancelled',
    ]);
    expect(harness.engine.projection(handle.workflowId).latest.status).toBe('cancelled');
    expect((await handle.query(stateQuery)).tasks[0]?.status).toBe('cancelled');
    const described = await handle.describe();
    expect(described.status.name).toBe('CANCELLED');
  });

  it('a failing undo is recorded and the others still run', async () => {
    const plan = definePlan('saga-undo-fails', [
      undoable('a', 'undo a'),
      call('b', 'test.echo', {}, { compensate: [call('undoB', 'test.fail', { type: 'undo.failed' })] }),
      undoable('c', 'undo c'),
      fail('stop', 'stop.now'),
    ]);
    const handle = await harness.start(plan);
    await handle.result().catch(() => undefined);
    expect(harness.test.recorded(handle.workflowId)).toEqual(['undo c', 'undo a']);
    const failed = harness.engine
      .projection(handle.workflowId)
      .timeline.filter((entry) => entry.type === 'step.failed');
    expect(failed.map((entry) => entry.stepId)).toEqual(expect.arrayContaining(['stop', 'undoB', 'b']));
  });

  it('compensation never stacks undo steps of its own', async () => {
    const plan = definePlan('saga-nested', [
      call(
        'a',
        'test.echo',
        {},
        { compensate: [call('undoA', 'test.echo', {}, { compensate: [record('undo of undo')] }), record('undo a')] },
      ),
      fail('stop', 'stop.now'),
    ]);
    const handle = await harness.start(plan);
    await handle.result().catch(() => undefined);
    expect(harness.test.recorded(handle.workflowId)).toEqual(['undo a']);
  });
});
