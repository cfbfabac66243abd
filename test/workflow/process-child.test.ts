import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure, type ApplicationFailure } from '@temporalio/common';
import { stateQuery, type ProcessResult } from '../../workflows/messages';
import { call, child, definePlan, end, expr, fail, task } from './support/plans';
import { eventually, startProcessHarness, type ProcessHarness } from './support/process-harness';
import { failIncident } from './support/incidents';
import { recordHistory } from './support/history-recorder';

describe('process: child instances', () => {
  let harness: ProcessHarness;
  beforeAll(async () => {
    harness = await startProcessHarness();
    harness.engine.templates.set(
      'credit-check',
      definePlan(
        'credit-check',
        [
          call('score', 'test.echo', { customer: expr('input.customer'), score: 720 }),
          end('done', { approved: expr('steps.score.score > 700'), parent: expr('instance.id') }),
        ],
        { version: 3 },
      ),
    );
    harness.engine.templates.set('credit-fail', definePlan('credit-fail', [fail('no', 'credit.unavailable')]));
    harness.engine.templates.set(
      'slow-review',
      definePlan('slow-review', [
        call(
          'hold',
          'test.echo',
          {},
          { compensate: [call('undoHold', 'test.record', { key: expr('instance.id'), value: 'child undone' })] },
        ),
        task('review', { outcomes: ['ok'] }),
      ]),
    );
  });
  afterAll(async () => {
    await harness?.teardown();
  });

  it('runs the newest version of the template as a child and returns its result', async () => {
    const plan = definePlan('parent', [
      child('credit', 'credit-check', { customer: expr('input.customer') }),
      call('after', 'test.echo', { approved: expr('steps.credit.result.approved') }),
    ]);
    const handle = await harness.start(plan, { customer: 'ACME' });
    await handle.result();
    const childId = `${handle.workflowId}/credit@0`;
    await recordHistory(handle, 'process-child');
    await recordHistory(harness.env.client.workflow.getHandle(childId), 'process-child.child');
    const { steps } = await handle.query(stateQuery);
    expect(steps.credit).toEqual({ instanceId: childId, result: { approved: true, parent: childId }, vars: {} });
    expect(steps.after).toEqual({ approved: true });
    expect(harness.engine.projection(childId).latest).toMatchObject({
      parentInstanceId: handle.workflowId,
      templateKey: 'credit-check',
      version: 3,
      status: 'completed',
    });
  });

  it("a failing child fails the step with the child's code", async () => {
    const plan = definePlan('parent-fail', [child('credit', 'credit-fail', {})]);
    const handle = await harness.start(plan);
    expect(await failIncident(handle)).toMatchObject({ stepId: 'credit', code: 'credit.unavailable' });
    const error = (await handle.result().catch((failure: unknown) => failure)) as WorkflowFailedError;
    expect((error.cause as ApplicationFailure).type).toBe('credit.unavailable');
  });

  it('wait: false starts the child and goes on; the child outlives the parent', async () => {
    const plan = definePlan('parent-nowait', [child('review', 'slow-review', {}, { wait: false })]);
    const handle = await harness.start(plan);
    const result: ProcessResult = await handle.result();
    expect(result.status).toBe('completed');
    const childId = `${handle.workflowId}/review@0`;
    expect((await handle.query(stateQuery)).steps.review).toEqual({ instanceId: childId, started: true });
    const childHandle = harness.env.client.workflow.getHandle(childId);
    expect((await childHandle.describe()).status.name).toBe('RUNNING');
    await childHandle.terminate('test over');
  });
});

/**
 * On the dev server (real time): on the time-skipping server, time may skip while the
 * cancellation's workflow tasks are in flight, and the run then ends in a TimeoutFailure
 * (seen in a CI run under load), which says nothing about the interpreter.
 */
describe('process: cancelling a parent with a waited-for child', () => {
  let harness: ProcessHarness;
  beforeAll(async () => {
    harness = await startProcessHarness({ server: 'dev' });
    harness.engine.templates.set(
      'slow-review',
      definePlan('slow-review', [
        call(
          'hold',
          'test.echo',
          {},
          { compensate: [call('undoHold', 'test.record', { key: expr('instance.id'), value: 'child undone' })] },
        ),
        task('review', { outcomes: ['ok'] }),
      ]),
    );
  });
  afterAll(async () => {
    await harness?.teardown();
  });

  it('cancelling the parent cancels a waited-for child, which compensates', async () => {
    const plan = definePlan('parent-cancel', [child('review', 'slow-review', {})]);
    const handle = await harness.start(plan);
    const childId = `${handle.workflowId}/review@0`;
    await eventually(
      () => (harness.engine.callsOf('engine.openTask', childId).length === 1 ? true : undefined),
      'child task',
    );
    await handle.cancel();
    const error = (await handle.result().catch((failure: unknown) => failure)) as WorkflowFailedError;
    expect(error.cause).toBeInstanceOf(CancelledFailure);
    expect(harness.test.recorded(childId)).toEqual(['child undone']);
    await recordHistory(handle, 'process-cancel');
    await recordHistory(harness.env.client.workflow.getHandle(childId), 'process-cancel.child');
    expect(harness.engine.projection(childId).latest.status).toBe('cancelled');
    expect((await harness.env.client.workflow.getHandle(childId).describe()).status.name).toBe('CANCELLED');
  });
});
