import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TaskChange, UpdateTaskParams } from '../../../../contracts/engine';
import { TaskRepository } from '../../../../db/repositories';
import { waitForMail } from '../../../support/mailbox';
import {
  insertUser,
  mailTo,
  newUser,
  openEngineTestKit,
  openTaskParams,
  unique,
  type EngineTestKit,
  type TestUser,
} from '../../../support/engine-test-kit';

/** engine.updateTask: one event per (task, event key), each mail once, nothing after a task closed. */
describe('engine.updateTask', () => {
  let kit: EngineTestKit;
  const tasks = new TaskRepository();
  beforeAll(async () => {
    kit = await openEngineTestKit();
  });
  afterAll(async () => {
    await kit.close();
  });

  const update = (params: UpdateTaskParams) => kit.run(kit.activities['engine.updateTask'], params);
  const change = (taskId: string, eventKey: string, taskChange: TaskChange): UpdateTaskParams => ({
    taskId,
    eventKey,
    at: '2030-01-02T08:00:00.000Z',
    change: taskChange,
  });
  const openTask = async (overrides: Parameters<typeof openTaskParams>[0] = {}) => {
    const params = openTaskParams(overrides);
    await kit.run(kit.activities['engine.openTask'], params);
    return params.taskId;
  };
  const users = async (...list: TestUser[]) => {
    for (const user of list) await insertUser(kit.em(), user);
  };
  const eventsOf = async (taskId: string) => (await tasks.events(kit.em(), taskId)).filter((e) => e.type !== 'opened');

  it('claims once per event key', async () => {
    const role = unique('claimers');
    const taskId = await openTask({ candidates: { role, users: [], where: {} } });
    const claim = change(taskId, 'claim-1', { type: 'claimed', by: 'u-claimer' });
    const views = await Promise.all([update(claim), update(claim)]);
    expect(views.every((v) => v.assignee === 'u-claimer')).toBe(true);
    expect(await eventsOf(taskId)).toEqual([
      expect.objectContaining({ type: 'claimed', eventKey: 'claim-1', actor: 'u-claimer' }),
    ]);
  });

  it('reminds the assignee once per event key, however often a reminder is retried', async () => {
    const rep = newUser('remind');
    await users(rep);
    const taskId = await openTask({ assignee: rep.id });
    const first = change(taskId, 'remind-1', { type: 'reminded', count: 1 });
    await Promise.all([update(first), update(first), update(first)]);
    await update(first);
    await waitForMail((m) => m.to.includes(rep.email));
    expect(await mailTo(rep.email)).toHaveLength(1);

    const second = change(taskId, 'remind-2', { type: 'reminded', count: 2 });
    expect(await update(second)).toMatchObject({ remindersSent: 2 });
    await update(second);
    expect(await mailTo(rep.email)).toHaveLength(2);
    expect((await mailTo(rep.email, 0)).every((m) => m.subject === 'Reminder: Approve the quote')).toBe(true);
    expect((await eventsOf(taskId)).map((e) => e.eventKey)).toEqual(['remind-1', 'remind-2']);
  });

  it('reminds every matching candidate of an unassigned task', async () => {
    const role = unique('queue');
    const member = newUser('member', { roles: [role], attributes: { skills: ['billing', 'german'] } });
    const other = newUser('other', { roles: [role], attributes: { skills: ['hardware'] } });
    await users(member, other);
    const taskId = await openTask({ candidates: { role, users: [], where: { skills: 'billing' } } });
    await update(change(taskId, 'remind-1', { type: 'reminded', count: 1 }));
    await waitForMail((m) => m.to.includes(member.email));
    expect(await mailTo(member.email)).toHaveLength(1);
    expect(await mailTo(other.email, 0)).toHaveLength(0);
  });

  it('escalates: reassigns, raises the priority and mails the listed users and addresses once', async () => {
    const rep = newUser('esc-rep');
    const manager = newUser('esc-mgr');
    await users(rep, manager);
    const boss = `${unique('boss')}@example.test`;
    const taskId = await openTask({ assignee: rep.id });
    const escalate = change(taskId, 'escalate-1', {
      type: 'escalated',
      level: 1,
      assignee: manager.id,
      priority: 'urgent',
      notify: [manager.id, boss, 'u-nobody-knows'],
    });
    const views = await Promise.all([update(escalate), update(escalate)]);
    expect(views[0]).toMatchObject({ assignee: manager.id, priority: 'urgent', escalationLevel: 1 });

    await waitForMail((m) => m.to.includes(boss));
    await waitForMail((m) => m.to.includes(manager.email));
    expect(await mailTo(boss)).toHaveLength(1);
    expect(await mailTo(manager.email, 0)).toHaveLength(1);
    expect((await mailTo(boss, 0))[0]?.subject).toBe('Escalated: Approve the quote');
    expect(await mailTo(rep.email, 0)).toHaveLength(0);
    const [event] = await eventsOf(taskId);
    expect(event?.detail).toMatchObject({
      level: 1,
      before: { assignee: rep.id, priority: 'normal' },
      after: { assignee: manager.id, priority: 'urgent' },
    });
  });

  it('escalating to new candidates unassigns the task so they see it', async () => {
    const taskId = await openTask({ assignee: 'u-someone' });
    const view = await update(
      change(taskId, 'escalate-1', {
        type: 'escalated',
        level: 1,
        candidates: { role: 'sales-manager', users: [], where: { region: 'EU' } },
      }),
    );
    expect(view).toMatchObject({ assignee: null, candidateRole: 'sales-manager', escalationLevel: 1 });
    expect(await tasks.get(kit.em(), taskId)).toMatchObject({ candidateWhere: { region: 'EU' } });
  });

  it('delegates to another user and tells them once', async () => {
    const delegate = newUser('delegate');
    await users(delegate);
    const taskId = await openTask({ assignee: 'u-owner' });
    const delegation = change(taskId, 'delegate-1', { type: 'delegated', by: 'u-owner', to: delegate.id });
    await Promise.all([update(delegation), update(delegation)]);
    expect(await tasks.get(kit.em(), taskId)).toMatchObject({ assignee: delegate.id });
    await waitForMail((m) => m.to.includes(delegate.email));
    expect(await mailTo(delegate.email)).toHaveLength(1);
    expect(await eventsOf(taskId)).toEqual([
      expect.objectContaining({
        actor: 'u-owner',
        detail: expect.objectContaining({ from: 'u-owner', to: delegate.id }),
      }),
    ]);
  });

  it('cancels once, and ignores reminders that arrive after the task closed', async () => {
    const rep = newUser('cancel');
    await users(rep);
    const taskId = await openTask({ assignee: rep.id });
    const cancel = change(taskId, 'cancel', { type: 'cancelled', reason: 'instance cancelled' });
    await Promise.all([update(cancel), update(cancel)]);
    const late = await update(change(taskId, 'remind-1', { type: 'reminded', count: 1 }));

    expect(late).toMatchObject({ status: 'cancelled', remindersSent: 0 });
    expect(await eventsOf(taskId)).toEqual([
      expect.objectContaining({ type: 'cancelled', detail: { reason: 'instance cancelled', recipients: [] } }),
    ]);
    expect(await mailTo(rep.email, 500)).toHaveLength(0);
  });

  it('reports an unknown task without retrying', async () => {
    await expect(update(change(unique('missing'), 'claim', { type: 'claimed', by: 'x' }))).rejects.toMatchObject({
      type: 'task.not-found',
      nonRetryable: true,
    });
  });
});
