import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import {
  claimTaskUpdate,
  completeTaskUpdate,
  delegateTaskUpdate,
  releaseTaskUpdate,
  stateQuery,
} from '../../workflows/messages';
import { type CompleteTaskArgs } from '../../contracts/engine';
import { definePlan, expr, task } from './support/plans';
import { eventually, startProcessHarness, type ProcessHandle, type ProcessHarness } from './support/process-harness';
import { recordHistory } from './support/history-recorder';

const EventType = temporal.api.enums.v1.EventType;

describe('task Updates: validators, claim and delegate', () => {
  let harness: ProcessHarness;
  beforeAll(async () => {
    harness = await startProcessHarness();
  });
  afterAll(async () => {
    await harness?.teardown();
  });

  const plan = definePlan('task-updates', [
    task('review', {
      candidates: { role: 'sales-rep', users: ['u-cand'] },
      outcomes: ['approved', 'rejected'],
      form: {
        type: 'object',
        required: ['reason'],
        additionalProperties: false,
        properties: {
          reason: { type: 'string', minLength: 3, maxLength: 20 },
          discount: { type: 'number', minimum: 0, maximum: 30 },
          contact: { type: 'string', format: 'email' },
          followUp: { type: 'string', format: 'date' },
          level: { type: 'string', enum: ['a', 'b'] },
          code: { type: 'string', pattern: '^Q-[0-9]+$' },
          seats: { type: 'integer' },
        },
      },
    }),
    task('second', { assignee: expr('steps.review.completedBy'), outcomes: ['done'] }),
  ]);

  async function startWithOpenTask(): Promise<{ handle: ProcessHandle; taskId: string }> {
    const handle = await harness.start(plan);
    await eventually(
      () => (harness.engine.callsOf('engine.openTask', handle.workflowId).length === 1 ? true : undefined),
      'task open',
    );
    return { handle, taskId: `${handle.workflowId}:steps[0]@0` };
  }

  async function rejection(
    handle: ProcessHandle,
    args: CompleteTaskArgs,
  ): Promise<{ type: string | undefined | null; message: string }> {
    const error = await handle.executeUpdate(completeTaskUpdate, { args: [args] }).then(
      () => {
        throw new Error('update was accepted');
      },
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (error as WorkflowUpdateFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    return { type: (cause as ApplicationFailure).type, message: (cause as ApplicationFailure).message };
  }

  const actor = { userId: 'u-cand', roles: ['sales-rep'] };

  it('rejects an unknown task, an unknown outcome and invalid form data, recording nothing', async () => {
    const { handle, taskId } = await startWithOpenTask();
    expect(
      await rejection(handle, { taskId: `${taskId}x`, outcome: 'approved', form: { reason: 'fine' }, actor }),
    ).toMatchObject({ type: 'task.unknown' });
    expect(await rejection(handle, { taskId, outcome: 'maybe', form: { reason: 'fine' }, actor })).toMatchObject({
      type: 'task.outcome-invalid',
    });
    const invalid = await rejection(handle, {
      taskId,
      outcome: 'approved',
      actor,
      form: {
        discount: 45,
        contact: 'not-mail',
        followUp: '2026-02-30',
        level: 'c',
        code: 'X-1',
        seats: 2.5,
        extra: true,
      },
    });
    expect(invalid.type).toBe('task.form-invalid');
    for (const problem of [
      'form.reason: is required',
      'form.discount: must be at most 30',
      'form.contact: must be a valid email',
      'form.followUp: must be a valid date',
      'form.level: must be one of "a", "b"',
      'form.code: must match ^Q-[0-9]+$',
      'form.seats: must be an integer',
      'form.extra: is not a field of this form',
    ])
      expect(invalid.message).toContain(problem);
    expect(await rejection(handle, { taskId, outcome: 'approved', form: { reason: 'no' }, actor })).toMatchObject({
      type: 'task.form-invalid',
      message: 'form.reason: must be at least 3 characters',
    });

    expect(harness.engine.callsOf('engine.completeTask', handle.workflowId)).toEqual([]);
    const history = await handle.fetchHistory();
    expect(
      history.events?.some((event) => event.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED),
    ).toBe(false);
    expect((await handle.query(stateQuery)).tasks[0]?.status).toBe('open');
    await handle.terminate('test over');
  });

  it('accepts one completion; a second one is rejected as closed (409) and nothing is recorded twice', async () => {
    const { handle, taskId } = await startWithOpenTask();
    const args: CompleteTaskArgs = {
      taskId,
      outcome: 'rejected',
      form: { reason: 'too low', contact: 'a@b.co', followUp: '2026-02-28' },
      comment: 'sorry',
      actor,
    };
    const completion = await handle.executeUpdate(completeTaskUpdate, { args: [args] });
    expect(completion).toMatchObject({ outcome: 'rejected', comment: 'sorry', completedBy: 'u-cand' });
    expect(await rejection(handle, { ...args, outcome: 'approved' })).toMatchObject({ type: 'task.closed' });
    expect(harness.engine.callsOf('engine.completeTask', handle.workflowId)).toHaveLength(1);
    const state = await handle.query(stateQuery);
    expect(state.tasks.map((view) => [view.stepId, view.status, view.outcome])).toEqual([
      ['review', 'completed', 'rejected'],
      ['second', 'open', null],
    ]);
    expect(state.tasks[1]?.assignee).toBe('u-cand');
    await handle.terminate('test over');
  });

  it('claim: only a candidate (user or role) or the assignee; delegate: the assignee or a manager/admin', async () => {
    const { handle, taskId } = await startWithOpenTask();
    const claim = (userId: string, roles: string[]) =>
      handle.executeUpdate(claimTaskUpdate, { args: [{ taskId, actor: { userId, roles } }] });
    const delegate = (userId: string, roles: string[], to: string) =>
      handle.executeUpdate(delegateTaskUpdate, { args: [{ taskId, actor: { userId, roles }, to }] });
    const typeOf = async (promise: Promise<unknown>) =>
      ((await promise.catch((error: unknown) => error)) as WorkflowUpdateFailedError).cause;

    expect(await typeOf(claim('u-stranger', ['support']))).toMatchObject({ type: 'task.not-candidate' });
    expect(await claim('u-role', ['sales-rep'])).toMatchObject({ assignee: 'u-role', status: 'open' });
    expect(await claim('u-cand', [])).toMatchObject({ assignee: 'u-cand' });
    expect(await claim('u-cand', [])).toMatchObject({ assignee: 'u-cand' }); // already the assignee
    expect(await typeOf(delegate('u-role', ['sales-rep'], 'u-x'))).toMatchObject({ type: 'task.not-assignee' });
    expect(await delegate('u-cand', [], 'u-friend')).toMatchObject({ assignee: 'u-friend' });
    // `manager` is no role of the product; a sales manager may hand on someone else's task.
    expect(await typeOf(delegate('u-fake', ['manager'], 'u-x'))).toMatchObject({ type: 'task.not-assignee' });
    expect(await delegate('u-boss', ['sales-manager'], 'u-other')).toMatchObject({ assignee: 'u-other' });
    expect(await delegate('u-root', ['admin'], 'u-cand')).toMatchObject({ assignee: 'u-cand' });

    const changes = harness.engine.callsOf('engine.updateTask', handle.workflowId).map((update) => update.change);
    expect(changes).toEqual([
      { type: 'claimed', by: 'u-role' },
      { type: 'claimed', by: 'u-cand' },
      { type: 'claimed', by: 'u-cand' },
      { type: 'delegated', by: 'u-cand', to: 'u-friend' },
      { type: 'delegated', by: 'u-boss', to: 'u-other' },
      { type: 'delegated', by: 'u-root', to: 'u-cand' },
    ]);
    await handle.executeUpdate(completeTaskUpdate, {
      args: [{ taskId, outcome: 'approved', form: { reason: 'ok then' }, actor }],
    });
    expect(await typeOf(claim('u-cand', []))).toMatchObject({ type: 'task.closed' });
    await handle.terminate('test over');
    await recordHistory(handle, 'task-claim-delegate');
  });
  it('four-eyes: an excluded person is dropped as assignee and refused claim, completion and delegation; release returns the task to its candidates', async () => {
    const fourEyes = definePlan('task-four-eyes', [
      task('approve', {
        assignee: 'u-owner',
        candidates: { role: 'sales-manager' },
        excludeUsers: expr('[input.ownerId]'),
        outcomes: ['approved'],
      }),
    ]);
    const handle = await harness.start(fourEyes, { ownerId: 'u-owner' });
    await eventually(
      () => (harness.engine.callsOf('engine.openTask', handle.workflowId).length === 1 ? true : undefined),
      'task open',
    );
    const taskId = `${handle.workflowId}:steps[0]@0`;
    const [opened] = harness.engine.callsOf('engine.openTask', handle.workflowId);
    expect(opened).toMatchObject({ assignee: null, excludedUsers: ['u-owner'] });
    const typeOf = async (promise: Promise<unknown>) =>
      ((await promise.catch((error: unknown) => error)) as WorkflowUpdateFailedError).cause;
    const owner = { userId: 'u-owner', roles: ['sales-manager'] };
    const peer = { userId: 'u-peer', roles: ['sales-manager'] };

    expect(await typeOf(handle.executeUpdate(claimTaskUpdate, { args: [{ taskId, actor: owner }] }))).toMatchObject({
      type: 'task.four-eyes',
    });
    expect(
      await typeOf(handle.executeUpdate(completeTaskUpdate, { args: [{ taskId, outcome: 'approved', actor: owner }] })),
    ).toMatchObject({ type: 'task.four-eyes' });
    const root = { userId: 'u-root', roles: ['admin'] };
    expect(
      await typeOf(handle.executeUpdate(delegateTaskUpdate, { args: [{ taskId, actor: root, to: 'u-owner' }] })),
    ).toMatchObject({ type: 'task.four-eyes' });
    expect(await typeOf(handle.executeUpdate(releaseTaskUpdate, { args: [{ taskId, actor: peer }] }))).toMatchObject({
      type: 'task.not-assignee',
    });

    expect(await handle.executeUpdate(claimTaskUpdate, { args: [{ taskId, actor: peer }] })).toMatchObject({
      assignee: 'u-peer',
    });
    expect(await handle.executeUpdate(releaseTaskUpdate, { args: [{ taskId, actor: peer }] })).toMatchObject({
      assignee: null,
      status: 'open',
    });
    const changes = harness.engine.callsOf('engine.updateTask', handle.workflowId).map((update) => update.change);
    expect(changes).toEqual([
      { type: 'claimed', by: 'u-peer' },
      { type: 'released', by: 'u-peer' },
    ]);
    await handle.executeUpdate(completeTaskUpdate, { args: [{ taskId, outcome: 'approved', actor: peer }] });
    expect((await handle.query(stateQuery)).tasks[0]).toMatchObject({ status: 'completed', outcome: 'approved' });
  });
});
