import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bindActivities } from '../../../../activities/activity-definition';
import { engineActivities } from '../../../../activities/engine';
import { createMailTransport } from '../../../../runtime/mailer';
import { findFreePort } from '../../../../runtime/port-check';
import { TaskRepository } from '../../../../db/repositories';
import type { CompleteTaskParams } from '../../../../contracts/engine';
import { waitForMail } from '../../../support/mailbox';
import {
  countRows,
  insertUser,
  mailTo,
  newUser,
  openEngineTestKit,
  openTaskParams,
  unique,
  type EngineTestKit,
} from '../../../support/engine-test-kit';

/** engine.openTask and engine.completeTask against the real PostgreSQL and SMTP sink. */
describe('engine.openTask / engine.completeTask', () => {
  let kit: EngineTestKit;
  const tasks = new TaskRepository();
  beforeAll(async () => {
    kit = await openEngineTestKit();
  });
  afterAll(async () => {
    await kit.close();
  });

  const open = (params: ReturnType<typeof openTaskParams>) => kit.run(kit.activities['engine.openTask'], params);
  const complete = (params: CompleteTaskParams) => kit.run(kit.activities['engine.completeTask'], params);
  const completion = (taskId: string, outcome = 'approve'): CompleteTaskParams => ({
    taskId,
    outcome,
    form: { reason: 'fine' },
    comment: 'ok by me',
    completedBy: 'u-approver',
    completedAt: '2030-01-03T09:00:00.000Z',
  });

  it('opens a task once and mails its assignee once, however often it is retried, even concurrently', async () => {
    const rep = newUser('rep');
    await insertUser(kit.em(), rep);
    const params = openTaskParams({ assignee: rep.id, notify: true });
    const views = await Promise.all([open(params), open(params), open(params)]);
    views.push(await open(params));

    expect(new Set(views.map((v) => JSON.stringify(v))).size).toBe(1);
    expect(views[0]).toEqual({
      taskId: params.taskId,
      stepId: 'approve',
      title: 'Approve the quote',
      assignee: rep.id,
      candidateRole: null,
      candidateUsers: [],
      outcomes: ['approve', 'reject'],
      priority: 'normal',
      dueAt: '2030-01-01T12:00:00.000Z',
      status: 'open',
      outcome: null,
      remindersSent: 0,
      escalationLevel: 0,
    });
    expect(await countRows(kit.em(), 'task where id = ?', [params.taskId])).toBe(1);
    expect(await countRows(kit.em(), "task_event where task_id = ? and type = 'opened'", [params.taskId])).toBe(1);
    const mail = await waitForMail((m) => m.to.includes(rep.email));
    expect(mail.subject).toBe('New task: Approve the quote');
    expect(mail.text).toContain(`/tasks/${encodeURIComponent(params.taskId)}`);
    expect(await mailTo(rep.email)).toHaveLength(1);
  });

  it('mails each candidate once: the named users and the active role holders whose attributes match', async () => {
    const role = unique('approver');
    const euHolder = newUser('eu', { roles: [role], attributes: { region: 'EU' } });
    const usHolder = newUser('us', { roles: [role], attributes: { region: 'US' } });
    const inactive = newUser('gone', { roles: [role], attributes: { region: 'EU' }, active: false });
    const named = newUser('named');
    for (const user of [euHolder, usHolder, inactive, named]) await insertUser(kit.em(), user);
    const params = openTaskParams({
      notify: true,
      candidates: { role, users: [named.id, euHolder.id], where: { region: 'EU' } },
    });
    await Promise.all([open(params), open(params)]);
    await open(params);

    await waitForMail((m) => m.to.includes(named.email));
    await waitForMail((m) => m.to.includes(euHolder.email));
    expect(await mailTo(named.email)).toHaveLength(1);
    expect(await mailTo(euHolder.email, 0)).toHaveLength(1);
    expect(await mailTo(usHolder.email, 0)).toHaveLength(0);
    expect(await mailTo(inactive.email, 0)).toHaveLength(0);
    const [opened] = await tasks.events(kit.em(), params.taskId);
    expect(opened).toMatchObject({ type: 'opened', eventKey: 'opened' });
    expect([...(opened?.detail?.recipients as string[])].sort()).toEqual([euHolder.email, named.email].sort());
  });

  it('mails on the retry when SMTP was down after the task was recorded', async () => {
    const rep = newUser('outage');
    await insertUser(kit.em(), rep);
    const params = openTaskParams({ assignee: rep.id, notify: true });
    const deadMailer = createMailTransport(`smtp://127.0.0.1:${await findFreePort()}`);
    const down = bindActivities(engineActivities, { ...kit.deps, mailer: deadMailer })['engine.openTask'];
    await expect(kit.run(down, params)).rejects.toThrow(/ECONNREFUSED/);
    deadMailer.close();
    expect(await tasks.get(kit.em(), params.taskId)).toMatchObject({ status: 'open' });

    await open(params);
    await open(params);
    await waitForMail((m) => m.to.includes(rep.email));
    expect(await mailTo(rep.email)).toHaveLength(1);
  });

  it('sends nothing when notify is off', async () => {
    const rep = newUser('quiet');
    await insertUser(kit.em(), rep);
    const params = openTaskParams({ assignee: rep.id, notify: false });
    await open(params);
    expect(await mailTo(rep.email, 500)).toHaveLength(0);
    expect((await tasks.events(kit.em(), params.taskId))[0]?.detail).toEqual({ recipients: [] });
  });

  it('completes an open task once; the same completion again changes nothing', async () => {
    const params = openTaskParams();
    await open(params);
    const views = await Promise.all([complete(completion(params.taskId)), complete(completion(params.taskId))]);
    views.push(await complete(completion(params.taskId)));

    expect(views.every((v) => v.status === 'completed' && v.outcome === 'approve')).toBe(true);
    expect(await tasks.get(kit.em(), params.taskId)).toMatchObject({
      status: 'completed',
      outcome: 'approve',
      formData: { reason: 'fine' },
      comment: 'ok by me',
      completedBy: 'u-approver',
      completedAt: new Date('2030-01-03T09:00:00.000Z'),
    });
    const events = await tasks.events(kit.em(), params.taskId);
    expect(events.map((e) => e.type)).toEqual(['opened', 'completed']);
    expect(events[1]).toMatchObject({ actor: 'u-approver', detail: { outcome: 'approve', comment: 'ok by me' } });
  });

  it('refuses, without retrying, to complete a closed task with another outcome', async () => {
    const params = openTaskParams();
    await open(params);
    await complete(completion(params.taskId, 'approve'));
    await expect(complete(completion(params.taskId, 'reject'))).rejects.toMatchObject({
      type: 'task.not-open',
      nonRetryable: true,
    });
    expect(await tasks.get(kit.em(), params.taskId)).toMatchObject({ outcome: 'approve' });
  });

  it('reports an unknown task without retrying', async () => {
    await expect(complete(completion(unique('missing')))).rejects.toMatchObject({
      type: 'task.not-found',
      nonRetryable: true,
    });
  });

  it('returns the projected state, not the retried parameters, when the task already moved on', async () => {
    const params = openTaskParams();
    await open(params);
    await complete(completion(params.taskId));
    expect(await open(params)).toMatchObject({ status: 'completed', outcome: 'approve' });
  });
});
