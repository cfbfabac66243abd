import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { WorkflowFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import type { Actor, InstanceState } from '../../contracts/engine';
import { completeTaskUpdate, resolveIncidentUpdate, setVariablesUpdate, stateQuery } from '../../workflows/messages';
import { call, definePlan, expr, fail, parallel, set, task } from './support/plans';
import { eventually, startProcessHarness, type ProcessHandle, type ProcessHarness } from './support/process-harness';

const operator: Actor = { userId: 'u-admin', roles: ['admin'] };

/** Incidents instead of dead instances: a step failing with nobody to handle it waits for an operator. */
describe('incidents', () => {
  let harness: ProcessHarness;
  beforeAll(async () => {
    harness = await startProcessHarness();
  });
  afterAll(async () => {
    await harness?.teardown();
  });

  const heldState = (handle: ProcessHandle): Promise<InstanceState> =>
    eventually(async () => {
      const state = await handle.query(stateQuery);
      return state.status === 'incident' ? state : undefined;
    }, 'instance in incident');

  it('an expression failure holds the step; the operator sets a variable and retries; the instance completes', async () => {
    const plan = definePlan(
      'incident-expr',
      [
        set('compute', { total: expr('vars.order.amount * 2') }),
        call('rec', 'test.record', { key: expr('instance.id'), value: expr('string(vars.total)') }),
      ],
      { vars: { order: {} } },
    );
    const handle = await harness.start(plan);
    const state = await heldState(handle);
    expect(state.incidents).toEqual([
      expect.objectContaining({
        stepId: 'compute',
        failedStepId: 'compute',
        path: 'steps[0]',
        code: expect.any(String),
      }),
    ]);
    const projected = harness.engine.projection(handle.workflowId);
    expect(projected.latest.status).toBe('incident');
    expect(projected.latest.endedAt).toBeNull();
    expect(projected.latest.error).toMatchObject({ stepId: 'compute' });
    expect(projected.timeline.map((entry) => entry.type)).toContain('step.incident');

    await handle.executeUpdate(setVariablesUpdate, { args: [{ vars: { order: { amount: 21 } }, actor: operator }] });
    const retried = await handle.executeUpdate(resolveIncidentUpdate, {
      args: [{ decision: 'retry', actor: operator }],
    });
    expect(retried.steps).toEqual(['compute']);
    const result = await handle.result();
    expect(result.status).toBe('completed');
    expect(result.vars['total']).toBe(42);
    expect(harness.test.recorded(handle.workflowId)).toEqual(['42']);
    const types = harness.engine.projection(handle.workflowId).timeline.map((entry) => entry.type);
    expect(types).toEqual(expect.arrayContaining(['vars.changed', 'incident.retried', 'instance.completed']));
    expect(types).not.toContain('instance.failed');
  });

  it('setVariables and retry are refused while nothing is held', async () => {
    const handle = await harness.start(definePlan('incident-none', [task('approve', { outcomes: ['ok'] })]));
    await eventually(
      () => (harness.engine.callsOf('engine.openTask', handle.workflowId).length === 1 ? true : undefined),
      'task open',
    );
    const refused = (await handle
      .executeUpdate(setVariablesUpdate, { args: [{ vars: { x: 1 }, actor: operator }] })
      .then(
        () => null,
        (error: unknown) => error,
      )) as { cause?: ApplicationFailure } | null;
    expect(refused?.cause?.type).toBe('instance.no-incident');
    await handle.terminate();
  });

  it('an activity business failure without onError is an incident; the operator fails it and onFailure sees the step', async () => {
    const plan = definePlan('incident-activity', [call('charge', 'test.fail', { type: 'card.declined' })], {
      onFailure: [
        call('rec', 'test.record', { key: expr('instance.id'), value: expr('error.code + "@" + error.stepId') }),
      ],
    });
    const handle = await harness.start(plan);
    const state = await heldState(handle);
    expect(state.incidents?.[0]).toMatchObject({ stepId: 'charge', code: 'card.declined' });
    await handle.executeUpdate(resolveIncidentUpdate, { args: [{ decision: 'fail', actor: operator }] });
    const error = (await handle.result().catch((failure: unknown) => failure)) as WorkflowFailedError;
    expect((error.cause as ApplicationFailure).type).toBe('card.declined');
    expect(harness.test.recorded(handle.workflowId)).toEqual(['card.declined@charge']);
    expect(harness.engine.projection(handle.workflowId).latest.status).toBe('failed');
  });

  it('an activity exhausting its retries is an incident, and a retry runs it again', async () => {
    const plan = definePlan('incident-retries', [call('flaky', 'test.flaky', { failTimes: expr('vars.failTimes') })], {
      vars: { failTimes: 3 },
    });
    const handle = await harness.start(plan);
    const state = await heldState(handle);
    expect(state.incidents?.[0]).toMatchObject({ stepId: 'flaky', code: 'test.flaky' });
    await handle.executeUpdate(setVariablesUpdate, { args: [{ vars: { failTimes: 0 }, actor: operator }] });
    await handle.executeUpdate(resolveIncidentUpdate, { args: [{ decision: 'retry', actor: operator }] });
    const result = await handle.result();
    expect(result.status).toBe('completed');
  });

  it('a fail step fails the instance at once: no incident', async () => {
    const handle = await harness.start(definePlan('incident-fail-step', [fail('stop', 'order.invalid')]));
    const error = (await handle.result().catch((failure: unknown) => failure)) as WorkflowFailedError;
    expect((error.cause as ApplicationFailure).type).toBe('order.invalid');
    const types = harness.engine.projection(handle.workflowId).timeline.map((entry) => entry.type);
    expect(types).not.toContain('step.incident');
  });

  it('a failure inside a container with onError still goes to that onError, which sees the failed step', async () => {
    const plan = definePlan('incident-guarded', [
      {
        ...parallel('both', 'all', [
          { id: 'a', steps: [call('charge', 'test.fail', { type: 'card.declined' })] },
          { id: 'b', steps: [call('ok', 'test.echo', { id: 'b' })] },
        ]),
        onError: {
          steps: [set('note', { failedStep: expr('error.stepId'), failedCode: expr('error.code') })],
          then: 'continue',
        },
      },
    ]);
    const handle = await harness.start(plan);
    const result = await handle.result();
    expect(result.vars).toMatchObject({ failedStep: 'charge', failedCode: 'card.declined' });
    const types = harness.engine.projection(handle.workflowId).timeline.map((entry) => entry.type);
    expect(types).not.toContain('step.incident');
  });

  it('a branch in incident leaves the other branches running', async () => {
    const plan = definePlan(
      'incident-branch',
      [
        parallel('both', 'all', [
          { id: 'a', steps: [set('bad', { x: expr('vars.missing.field') })] },
          { id: 'b', steps: [task('review', { outcomes: ['ok'] })] },
        ]),
      ],
      { vars: { missing: {} } },
    );
    const handle = await harness.start(plan);
    const state = await heldState(handle);
    expect(state.incidents?.map((incident) => incident.stepId)).toEqual(['bad']);
    await eventually(
      () => (harness.engine.callsOf('engine.openTask', handle.workflowId).length === 1 ? true : undefined),
      'the other branch opened its task',
    );
    await handle.terminate();
  });

  it('a held step in a branch that is cut short (mode any) waits no more: the instance completes, nothing held', async () => {
    const plan = definePlan(
      'incident-withdrawn',
      [
        parallel('first', 'any', [
          { id: 'a', steps: [set('bad', { x: expr('vars.missing.field') })] },
          { id: 'b', steps: [task('review', { outcomes: ['ok'] })] },
        ]),
      ],
      { vars: { missing: {} } },
    );
    const handle = await harness.start(plan);
    await heldState(handle);
    await eventually(
      () => (harness.engine.callsOf('engine.openTask', handle.workflowId).length === 1 ? true : undefined),
      'the other branch opened its task',
    );
    await handle.executeUpdate(completeTaskUpdate, {
      args: [{ taskId: `${handle.workflowId}:steps[0].parallel[1].steps[0]@0`, outcome: 'ok', actor: operator }],
    });
    const result = await handle.result();
    expect(result.status).toBe('completed');
    const state = await handle.query(stateQuery);
    expect(state.incidents ?? []).toEqual([]);
    expect(harness.engine.projection(handle.workflowId).latest.status).toBe('completed');
  });
});
