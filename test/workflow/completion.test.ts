import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ForEachStep, ParallelStep } from '../../dsl/plan';
import { completeTaskUpdate, stateQuery } from '../../workflows/messages';
import { call, definePlan, expr, forEach, parallel, set, task } from './support/plans';
import { recordHistory } from './support/history-recorder';
import { eventually, startProcessHarness, type ProcessHandle, type ProcessHarness } from './support/process-harness';

const HOUR = 3_600_000;

/**
 * A completion condition on a parallel or a concurrent forEach (BPMN's completionCondition):
 * checked as each branch / iteration finishes; when it holds, the rest are withdrawn (tasks
 * closed with reason `withdrawn`, their timers cancelled) and the step completes.
 */
describe('completion conditions', () => {
  let harness: ProcessHarness;
  beforeAll(async () => {
    harness = await startProcessHarness();
  });
  afterAll(async () => {
    await harness?.teardown();
  });

  const approvers = ['finance', 'legal', 'sales'];

  const withCompletion = (step: ParallelStep, completion: ParallelStep['completion']): ParallelStep => ({
    ...step,
    ...(completion ? { completion } : {}),
  });

  /** Every approver at once; an objection (`no`) is recorded in vars.objection. */
  const objectionPlan = (completion: ParallelStep['completion']) =>
    definePlan(
      'completion-parallel',
      [
        withCompletion(
          parallel(
            'approvals',
            'all',
            approvers.map((who) => ({
              id: who,
              steps: [
                task(`${who}Approval`, {
                  assignee: `u-${who}`,
                  outcomes: ['ok', 'no'],
                  remind: { everyMs: 4 * HOUR, times: 3 },
                }),
                set(`${who}Objects`, { objection: who }, { if: expr(`steps.${who}Approval.outcome == "no"`) }),
              ],
            })),
          ),
          completion,
        ),
        call('after', 'test.echo', { cancelled: expr('steps.approvals.cancelled') }),
      ],
      { vars: { objection: '' } },
    );

  async function decide(handle: ProcessHandle, taskId: string, who: string, outcome: string): Promise<void> {
    await handle.executeUpdate(completeTaskUpdate, {
      args: [{ taskId: `${handle.workflowId}:${taskId}`, outcome, actor: { userId: `u-${who}`, roles: [] } }],
    });
  }

  async function tasksOpened(handle: ProcessHandle, count: number): Promise<void> {
    await eventually(
      () => (harness.engine.callsOf('engine.openTask', handle.workflowId).length === count ? true : undefined),
      `${count} open tasks`,
    );
  }

  async function cancelledTimers(handle: ProcessHandle): Promise<number> {
    const history = await handle.fetchHistory();
    return (history.events ?? []).filter((event) => event.timerCanceledEventAttributes).length;
  }

  it('parallel: the first objection completes the step, withdrawing the open tasks and their timers', async () => {
    const handle = await harness.start(objectionPlan(expr('vars.objection != ""')));
    await tasksOpened(handle, 3);
    await decide(handle, 'steps[0].parallel[1].steps[0]@0', 'legal', 'ok');
    await decide(handle, 'steps[0].parallel[0].steps[0]@0', 'finance', 'no');
    const result = await handle.result();
    await recordHistory(handle, 'parallel-completion');
    expect(result.status).toBe('completed');
    expect(result.vars).toEqual({ objection: 'finance' });
    const state = await handle.query(stateQuery);
    expect(state.steps.approvals).toMatchObject({ completed: ['legal', 'finance'], cancelled: ['sales'] });
    expect(state.steps.after).toEqual({ cancelled: ['sales'] });
    expect(state.tasks.map((view) => [view.stepId, view.status])).toEqual([
      ['financeApproval', 'completed'],
      ['legalApproval', 'completed'],
      ['salesApproval', 'cancelled'],
    ]);
    const updates = harness.engine.callsOf('engine.updateTask', handle.workflowId);
    expect(updates.map((update) => [update.taskId.split(':')[1], update.change])).toEqual([
      ['steps[0].parallel[2].steps[0]@0', { type: 'cancelled', reason: 'withdrawn' }],
    ]);
    // The sales task's reminder timer was cancelled with its branch, not left to fire.
    expect(await cancelledTimers(handle)).toBeGreaterThanOrEqual(1);
  });

  it('parallel: approvals alone never meet the condition; the step waits for every branch', async () => {
    const handle = await harness.start(objectionPlan(expr('vars.objection != ""')));
    await tasksOpened(handle, 3);
    for (const [index, who] of approvers.entries())
      await decide(handle, `steps[0].parallel[${index}].steps[0]@0`, who, 'ok');
    await handle.result();
    const state = await handle.query(stateQuery);
    expect(state.steps.approvals).toMatchObject({ completed: ['finance', 'legal', 'sales'], cancelled: [] });
    expect(harness.engine.callsOf('engine.updateTask', handle.workflowId)).toEqual([]);
  });

  it('parallel: counts finished branches with `completed` and `total`', async () => {
    const handle = await harness.start(objectionPlan(expr('completed * 3 >= total * 2')));
    await tasksOpened(handle, 3);
    await decide(handle, 'steps[0].parallel[2].steps[0]@0', 'sales', 'ok');
    await decide(handle, 'steps[0].parallel[0].steps[0]@0', 'finance', 'ok');
    await handle.result();
    const state = await handle.query(stateQuery);
    expect(state.steps.approvals).toMatchObject({ completed: ['sales', 'finance'], cancelled: ['legal'] });
  });

  const concurrentPlan = (extra: Partial<ForEachStep>) =>
    definePlan(
      'completion-foreach',
      [
        forEach(
          'together',
          expr('input.roles'),
          'role',
          [
            task('approval', {
              assignee: expr('"u-" + role'),
              outcomes: ['ok', 'no'],
              remind: { everyMs: 4 * HOUR, times: 3 },
            }),
            set('objects', { objection: expr('role') }, { if: expr('steps.approval.outcome == "no"') }),
          ],
          { concurrent: true, completion: expr('vars.objection != ""'), ...extra },
        ),
        call('after', 'test.echo', { results: expr('steps.together') }),
      ],
      { vars: { objection: '' } },
    );

  it('concurrent forEach: an objection withdraws the other iterations; their places in the result are null', async () => {
    const handle = await harness.start(concurrentPlan({}), { roles: approvers });
    await tasksOpened(handle, 3);
    await decide(handle, 'steps[0].forEach.steps[0]@1', 'legal', 'no');
    const result = await handle.result();
    // Not recorded for replay: a dry-run scenario answers every iteration of a task step alike, so
    // it cannot say that two of them were never answered (test/unit/simulator/agreement.test.ts).
    expect(result.vars).toEqual({ objection: 'legal' });
    const state = await handle.query(stateQuery);
    expect(state.steps.together).toEqual([
      null,
      { approval: expect.objectContaining({ outcome: 'no', completedBy: 'u-legal' }), objects: { objection: 'legal' } },
      null,
    ]);
    const updates = harness.engine.callsOf('engine.updateTask', handle.workflowId);
    expect(updates.map((update) => [update.taskId.split(':')[1], update.change]).sort()).toEqual([
      ['steps[0].forEach.steps[0]@0', { type: 'cancelled', reason: 'withdrawn' }],
      ['steps[0].forEach.steps[0]@2', { type: 'cancelled', reason: 'withdrawn' }],
    ]);
    expect(await cancelledTimers(handle)).toBeGreaterThanOrEqual(1);
  });

  it('concurrent forEach: once the condition holds no further iteration starts', async () => {
    const plan = definePlan('completion-foreach-pool', [
      forEach('echoes', expr('input.items'), 'item', [call('echo', 'test.echo', { item: expr('item') })], {
        concurrent: true,
        maxConcurrency: 1,
        completion: expr('completed == 2'),
      }),
    ]);
    const handle = await harness.start(plan, { items: ['a', 'b', 'c', 'd'] });
    await handle.result();
    const state = await handle.query(stateQuery);
    expect(state.steps.echoes).toEqual([{ echo: { item: 'a' } }, { echo: { item: 'b' } }, null, null]);
    const history = await handle.fetchHistory();
    const echoes = (history.events ?? []).filter(
      (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'test.echo',
    );
    expect(echoes).toHaveLength(2);
  });

  it('a task cancelled with its whole instance is cancelled, not withdrawn (no mail)', async () => {
    const handle = await harness.start(concurrentPlan({}), { roles: approvers });
    await tasksOpened(handle, 3);
    await handle.cancel();
    await handle.result().catch(() => undefined);
    await eventually(
      () => (harness.engine.callsOf('engine.updateTask', handle.workflowId).length === 3 ? true : undefined),
      'three cancellations projected',
    );
    const reasons = harness.engine.callsOf('engine.updateTask', handle.workflowId).map((update) => update.change);
    expect(reasons).toEqual(Array(3).fill({ type: 'cancelled', reason: 'cancelled' }));
  });
});
