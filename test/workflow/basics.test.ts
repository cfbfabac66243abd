import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { stateQuery, timelineQuery } from '../../workflows/messages';
import { call, definePlan, end, expr, fail, set, switchOn } from './support/plans';
import { eventually, startProcessHarness, type ProcessHarness } from './support/process-harness';
import { recordHistory } from './support/history-recorder';

describe('runProcess: call, set, switch, end, fail, if', () => {
  let harness: ProcessHarness;
  beforeAll(async () => {
    harness = await startProcessHarness();
  });
  afterAll(async () => {
    await harness?.teardown();
  });

  it('calls activities with rendered params and exposes results as steps.<id>', async () => {
    const plan = definePlan(
      'basics-call',
      [
        call('greet', 'test.echo', { who: expr('input.name'), id: expr('instance.id'), n: expr('vars.base * 2') }),
        set('remember', { greeting: expr('"hello " + steps.greet.who'), count: expr('vars.base + 1') }),
        call('skipped', 'test.echo', { never: true }, { if: expr('vars.count > 100') }),
        call('echoAgain', 'test.echo', { text: expr('vars.greeting'), count: expr('vars.count') }),
      ],
      { vars: { base: 20, label: 'x' }, businessKey: expr('input.name') },
    );
    const handle = await harness.start(plan, { name: 'Ada' });
    const result = await handle.result();
    await recordHistory(handle, 'call-set-if');
    expect(result).toEqual({
      status: 'completed',
      result: null,
      vars: { base: 20, label: 'x', greeting: 'hello Ada', count: 21 },
    });
    const state = await handle.query(stateQuery);
    expect(state.status).toBe('completed');
    expect(state.businessKey).toBe('Ada');
    expect(state.steps.greet).toEqual({ who: 'Ada', id: handle.workflowId, n: 40 });
    expect(state.steps.echoAgain).toEqual({ text: 'hello Ada', count: 21 });
    expect(state.steps).not.toHaveProperty('skipped');
    const timeline = await handle.query(timelineQuery);
    expect(timeline.filter((entry) => entry.stepId === 'skipped').map((entry) => entry.type)).toEqual(['step.skipped']);
    expect(timeline.map((entry) => entry.seq)).toEqual(timeline.map((_, index) => index + 1));
    // Two flushes: at start and at the end (no blocking wait in between).
    const projection = harness.engine.projection(handle.workflowId);
    expect(projection.flushes).toBe(2);
    expect(projection.latest.status).toBe('completed');
    expect(projection.timeline).toEqual(timeline);
  });

  it('switch takes the first true case, else otherwise', async () => {
    const plan = definePlan('basics-switch', [
      switchOn(
        'route',
        [
          { when: expr('input.amount > 1000'), steps: [set('big', { size: 'big' })] },
          { when: expr('input.amount > 100'), steps: [set('medium', { size: 'medium' })] },
        ],
        [set('small', { size: 'small' })],
      ),
    ]);
    const sizes: unknown[] = [];
    for (const amount of [5000, 500, 5]) sizes.push((await (await harness.start(plan, { amount })).result()).vars.size);
    expect(sizes).toEqual(['big', 'medium', 'small']);
    const handle = await harness.start(plan, { amount: 500 });
    await handle.result();
    await recordHistory(handle, 'switch');
    expect((await handle.query(stateQuery)).steps.route).toEqual({ branch: 1 });
  });

  it('end finishes the instance with its result; later steps never run', async () => {
    const plan = definePlan('basics-end', [
      set('a', { v: 1 }),
      end('done', { total: expr('vars.v + 41') }),
      call('never', 'test.fail', { type: 'should.not.run' }),
    ]);
    const handle = await harness.start(plan);
    expect(await handle.result()).toEqual({ status: 'completed', result: { total: 42 }, vars: { v: 1 } });
    await recordHistory(handle, 'end');
  });

  it('fail fails the instance with an ApplicationFailure typed by the code', async () => {
    const plan = definePlan('basics-fail', [
      fail('reject', 'quote.rejected', expr('"too expensive: " + string(input.amount)')),
    ]);
    const handle = await harness.start(plan, { amount: 12 });
    const error = await handle.result().catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    await recordHistory(handle, 'fail');
    const cause = (error as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe('quote.rejected');
    expect((cause as ApplicationFailure).message).toBe('too expensive: 12');
    const projection = harness.engine.projection(handle.workflowId);
    expect(projection.latest.status).toBe('failed');
    expect(projection.latest.error).toEqual({ code: 'quote.rejected', message: 'too expensive: 12', stepId: 'reject' });
  });

  it('a call uses its retry policy and stops at nonRetryableErrorTypes', async () => {
    const plan = definePlan('basics-retry', [
      call(
        'flaky',
        'test.flaky',
        { failTimes: 2 },
        { retry: { maximumAttempts: 5, initialIntervalMs: 10, backoffCoefficient: 1, maximumIntervalMs: 10 } },
      ),
      call(
        'stubborn',
        'test.flaky',
        { failTimes: 3, type: 'crm.locked' },
        {
          retry: {
            maximumAttempts: 5,
            initialIntervalMs: 10,
            backoffCoefficient: 1,
            maximumIntervalMs: 10,
            nonRetryableErrorTypes: ['crm.locked'],
          },
          onError: { steps: [set('noted', { noted: expr('error.code') })], then: 'continue' },
        },
      ),
    ]);
    const handle = await harness.start(plan);
    const result = await handle.result();
    await recordHistory(handle, 'retry-onerror-continue');
    const state = await handle.query(stateQuery);
    expect(state.steps.flaky).toEqual({ attempts: 3 });
    expect(state.steps.stubborn).toEqual({
      failed: true,
      error: { code: 'crm.locked', message: 'attempt 1 fails', stepId: 'stubborn' },
    });
    expect(result.vars.noted).toBe('crm.locked');
  });

  it('a call with no attempt limit (maximumAttempts 0, the default) outlasts more failures than the old bound of 5', async () => {
    const plan = definePlan('basics-retry-unbounded', [
      call(
        'patient',
        'test.flaky',
        { failTimes: 8 },
        { retry: { maximumAttempts: 0, initialIntervalMs: 10, backoffCoefficient: 1, maximumIntervalMs: 10 } },
      ),
    ]);
    const handle = await harness.start(plan);
    await handle.result();
    const state = await handle.query(stateQuery);
    expect(state.steps.patient).toEqual({ attempts: 9 });
    expect(harness.engine.projection(handle.workflowId).latest.status).toBe('completed');
  });

  it('onError then fail runs its steps and fails the instance; an expression error is an incident with its own code', async () => {
    const plan = definePlan('basics-onerror-fail', [
      call(
        'boom',
        'test.fail',
        { type: 'crm.down' },
        {
          onError: {
            steps: [call('note', 'test.record', { key: expr('instance.id'), value: expr('error.code') })],
            then: 'fail',
          },
        },
      ),
    ]);
    const handle = await harness.start(plan);
    const error = (await handle.result().catch((failure: unknown) => failure)) as WorkflowFailedError;
    expect((error.cause as ApplicationFailure).type).toBe('crm.down');
    expect(harness.test.recorded(handle.workflowId)).toEqual(['crm.down']);

    const bad = definePlan('basics-expression', [set('x', { y: expr('input.missing.deeper') })]);
    const badHandle = await harness.start(bad, {});
    const held = await eventually(async () => {
      const state = await badHandle.query(stateQuery);
      return state.status === 'incident' ? state : undefined;
    }, 'the expression failure held in incident');
    expect(held.incidents?.[0]).toMatchObject({ stepId: 'x', code: 'expression.failed' });
    await badHandle.terminate();
  });
});
