import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { completeTaskUpdate, stateQuery } from '../../workflows/messages';
import { type TaskCompletion } from '../../contracts/engine';
import { call, definePlan, expr, task } from './support/plans';
import { eventually, startProcessHarness, type ProcessHarness } from './support/process-harness';
import { recordHistory } from './support/history-recorder';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('task: reminders and the escalation ladder on simulated time', () => {
  let harness: ProcessHarness;
  beforeAll(async () => {
    harness = await startProcessHarness();
  });
  afterAll(async () => {
    await harness?.teardown();
  });

  const plan = definePlan('task-ladder', [
    task('approve', {
      title: expr('"Approve quote " + input.quoteId'),
      assignee: expr('input.rep'),
      candidates: { role: 'sales-rep', users: ['u-rep', 'u-backup'] },
      outcomes: ['approved', 'rejected'],
      form: { type: 'object', required: ['reason'], properties: { reason: { type: 'string', minLength: 3 } } },
      dueMs: DAY,
      priority: 'normal',
      remind: { everyMs: 4 * HOUR, times: 3 },
      escalate: [
        { afterMs: DAY, notify: expr('[input.rep + "@crm.test", "lead@crm.test"]'), raisePriority: 'high' },
        {
          afterMs: 2 * DAY,
          reassign: { candidates: { role: 'sales-manager', where: { region: expr('input.region') } } },
          raisePriority: 'urgent',
        },
        { afterMs: 3 * DAY, reassign: { user: 'u-director' }, notify: 'u-director' },
      ],
    }),
    call('after', 'test.echo', { outcome: expr('steps.approve.outcome'), reason: expr('steps.approve.form.reason') }),
  ]);

  it('fires reminders every 4 h (3 times) and escalates at 1, 2, 3 days, in order, at their simulated times', async () => {
    const handle = await harness.start(plan, { quoteId: 'Q-7', rep: 'u-rep', region: 'north' });
    const id = handle.workflowId;
    const [opened] = await eventually(() => {
      const calls = harness.engine.callsOf('engine.openTask', id);
      return calls.length > 0 ? calls : undefined;
    }, 'the task to open');
    expect(opened).toMatchObject({
      taskId: `${id}:steps[0]@0`,
      stepId: 'approve',
      title: 'Approve quote Q-7',
      assignee: 'u-rep',
      notify: true,
      candidates: { role: 'sales-rep', users: ['u-rep', 'u-backup'], where: {} },
      priority: 'normal',
      outcomes: ['approved', 'rejected'],
    });
    const openedAt = Date.parse((await handle.query(stateQuery)).tasks[0]?.dueAt ?? '') - DAY;

    // Advance the test server's clock in steps; the workflow's own timers fire on the way.
    for (const hours of [5, 4, 4, 12, 24, 24]) await harness.env.sleep(hours * HOUR);
    await eventually(
      () => (harness.engine.callsOf('engine.updateTask', id).length === 6 ? true : undefined),
      '6 task updates',
    );

    const updates = harness.engine.callsOf('engine.updateTask', id);
    // Workflow time when each fired, in minutes after the task opened (a WFT adds milliseconds).
    const minutes = (at: string): number => Math.round((Date.parse(at) - openedAt) / 60_000);
    expect(updates.map((update) => [update.eventKey, minutes(update.at)])).toEqual([
      ['reminded:1', 4 * 60],
      ['reminded:2', 8 * 60],
      ['reminded:3', 12 * 60],
      ['escalated:1', 24 * 60],
      ['escalated:2', 48 * 60],
      ['escalated:3', 72 * 60],
    ]);
    expect(updates.map((update) => update.change)).toEqual([
      { type: 'reminded', count: 1 },
      { type: 'reminded', count: 2 },
      { type: 'reminded', count: 3 },
      { type: 'escalated', level: 1, priority: 'high', notify: ['u-rep@crm.test', 'lead@crm.test'] },
      {
        type: 'escalated',
        level: 2,
        priority: 'urgent',
        assignee: null,
        candidates: { role: 'sales-manager', users: [], where: { region: 'north' } },
      },
      { type: 'escalated', level: 3, assignee: 'u-director', notify: ['u-director'] },
    ]);
    const [view] = (await handle.query(stateQuery)).tasks;
    expect(view).toMatchObject({
      status: 'open',
      assignee: 'u-director',
      candidateRole: 'sales-manager',
      candidateUsers: [],
      priority: 'urgent',
      remindersSent: 3,
      escalationLevel: 3,
    });

    const completion: TaskCompletion = await handle.executeUpdate(completeTaskUpdate, {
      args: [
        {
          taskId: `${id}:steps[0]@0`,
          outcome: 'approved',
          form: { reason: 'fine margin' },
          actor: { userId: 'u-director', roles: ['director'] },
        },
      ],
      updateId: 'complete-1',
    });
    expect(completion).toMatchObject({
      outcome: 'approved',
      form: { reason: 'fine margin' },
      completedBy: 'u-director',
      comment: null,
    });
    // The projection was written before the update returned. The completer's name (the id when the
    // API sent none) is for the process's steps only: the projection names people by id.
    const { completedByName, ...projected } = completion;
    expect(completedByName).toBe('u-director');
    expect(harness.engine.callsOf('engine.completeTask', id)).toEqual([projected]);
    const result = await handle.result();
    await recordHistory(handle, 'task-reminders-escalation');
    expect(result.status).toBe('completed');
    const state = await handle.query(stateQuery);
    expect(state.steps.after).toEqual({ outcome: 'approved', reason: 'fine margin' });
    expect(state.steps.approve).toEqual(completion);
    const types = harness.engine.projection(id).timeline.map((entry) => entry.type);
    expect(types.filter((type) => type.startsWith('task.'))).toEqual([
      'task.opened',
      'task.reminded',
      'task.reminded',
      'task.reminded',
      'task.escalated',
      'task.escalated',
      'task.escalated',
      'task.completed',
    ]);
  });

  it('a task completed before its first reminder fires no timers', async () => {
    const handle = await harness.start(plan, { quoteId: 'Q-8', rep: 'u-rep', region: 'south' });
    const id = handle.workflowId;
    await eventually(
      () => (harness.engine.callsOf('engine.openTask', id).length === 1 ? true : undefined),
      'the task to open',
    );
    await harness.env.sleep(3 * HOUR);
    await handle.executeUpdate(completeTaskUpdate, {
      args: [
        {
          taskId: `${id}:steps[0]@0`,
          outcome: 'rejected',
          form: { reason: 'price' },
          actor: { userId: 'u-rep', roles: [] },
        },
      ],
    });
    await handle.result();
    expect(harness.engine.callsOf('engine.updateTask', id)).toEqual([]);
  });
});
