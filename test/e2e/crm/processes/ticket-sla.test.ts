import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { startCrmHarness, type CrmHarness } from '../../../support/crm-harness';
import { complete, createCustomer, json, uniqueSuffix, until } from './crm-fixtures';
import {
  createServiceUser,
  createSurvey,
  deactivateUsers,
  getTicket,
  instancesFor,
  mailsTo,
  openTask,
  openTicket,
  tasksOf,
  untilStepStarted,
  userRow,
  waitForMails,
  type ServiceUser,
  type TaskRow,
} from './service-process-fixtures';

/**
 * The ticket SLA timers of the built-in ticket-escalation template on a time-skipping server: the
 * response reminder, the escalation ladder and the quiet-period auto-close.
 */
describe('ticket SLA timers (built-in template, time-skipping)', () => {
  let h: CrmHarness;
  const users: ServiceUser[] = [];

  beforeAll(async () => {
    h = await startCrmHarness({ timeSkipping: true });
    await createSurvey(h);
  });
  afterEach(async () => {
    await deactivateUsers(h, users.splice(0));
  });
  afterAll(async () => {
    await h.close();
  });

  const sleep = (duration: string) => h.env!.sleep(duration);
  const taskRow = async (instanceId: string): Promise<TaskRow> => (await tasksOf(h, instanceId, 'respond'))[0]!;

  it("reminds the assignee of an A customer's unanswered complaint at 1h30, gives it to the support lead at 2 h and to the manager at 1 day", async () => {
    // No skills: the first assignee is whichever manager the shared database offers; the test reads it from the task.
    const lead = await createServiceUser(h, { roles: ['support-lead'] });
    const manager = await createServiceUser(h, { roles: ['customer-relations-manager'] });
    users.push(lead, manager);
    const customer = await createCustomer(h, { grade: 'A' });
    const { ticketId, instanceId } = await openTicket(h, {
      customerId: customer.id,
      subject: `Complaint about the installation team ${uniqueSuffix()}`,
      body: 'We are very unhappy with how the visit went.',
    });

    const opened = await openTask(h, instanceId, 'respond');
    expect(opened).toMatchObject({
      candidate_role: 'customer-relations-manager',
      priority: 'high',
      escalation_level: 0,
    });
    expect(await getTicket(h, ticketId)).toMatchObject({
      category: 'complaint',
      priority: 'high',
      redAlert: false,
      queue: 'customer-relations-manager',
    });
    const assignee = await userRow(h, opened.assignee!);
    expect(assignee.roles).toContain('customer-relations-manager');
    const taskMails = (address: string, event: string) => mailsTo(address, `task/${opened.id}/${event}/`);

    await sleep('85 minutes');
    expect(await taskMails(assignee.email, 'reminded:1')).toEqual([]);
    await sleep('10 minutes');
    const [reminder] = await waitForMails(assignee.email, `task/${opened.id}/reminded:1/`);
    // Task mails speak their recipient's language: the demo managers read Chinese.
    // The task's title too: the template gives it per language ([high] / [高]).
    const inChinese = (assignee.attributes as { locale?: string }).locale === 'zh-CN';
    const [reminderWord, high] = inChinese ? ['任务提醒：', '[高]'] : ['Reminder: ', '[high]'];
    expect(reminder!.subject).toContain(`${reminderWord}${high} Complaint about the installation team`);
    expect(await taskRow(instanceId)).toMatchObject({ assignee: assignee.id, reminders_sent: 1, escalation_level: 0 });

    await sleep('30 minutes');
    await until(async () =>
      expect(await taskRow(instanceId)).toMatchObject({
        status: 'open',
        assignee: null,
        candidate_role: 'support-lead',
        priority: 'high',
        escalation_level: 1,
      }),
    );
    await waitForMails(lead.email, `task/${opened.id}/escalated:1/`);

    await sleep('22 hours');
    await until(async () =>
      expect(await taskRow(instanceId)).toMatchObject({
        status: 'open',
        assignee: null,
        candidate_role: 'customer-relations-manager',
        priority: 'urgent',
        escalation_level: 2,
      }),
    );
    const [escalated] = await waitForMails(manager.email, `task/${opened.id}/escalated:2/`);
    expect(escalated!.text).toContain('Priority: urgent');
    expect(await taskMails(assignee.email, 'reminded:2')).toEqual([]);
  });

  it('closes a resolved ticket after three quiet days and starts the satisfaction survey', async () => {
    const desk = await createServiceUser(h, { roles: ['service-desk'], skills: ['other'], firstInLine: true });
    users.push(desk);
    const customer = await createCustomer(h, { grade: 'B' });
    const { ticketId, instanceId } = await openTicket(h, {
      customerId: customer.id,
      subject: `New postal address ${uniqueSuffix()}`,
      body: 'Please note our new address from next month.',
    });
    await until(async () =>
      expect(await getTicket(h, ticketId)).toMatchObject({
        category: 'other',
        priority: 'low',
        queue: 'service-desk',
        assigneeId: desk.id,
      }),
    );

    const respond = await openTask(h, instanceId, 'respond');
    json(await complete(h, desk.apiKey, respond.id, 'responded', { reply: 'Noted.' }), 200);
    const resolve = await openTask(h, instanceId, 'resolve');
    json(await complete(h, desk.apiKey, resolve.id, 'resolved', { resolution: 'Address updated.' }), 200);
    await waitForMails(customer.email, `ticket-resolved:${ticketId}`);
    await untilStepStarted(h, instanceId, 'confirmEvent');

    await sleep('2 days');
    expect((await getTicket(h, ticketId)).status).toBe('resolved');
    expect(await instancesFor(h, 'survey-reminders', `ticket:${ticketId}`)).toEqual([]);

    await sleep('1 day');
    await until(async () => {
      const row = await getTicket(h, ticketId);
      expect(row.status).toBe('closed');
      expect(row.closedAt).not.toBeNull();
    });
    await until(async () => expect(await instancesFor(h, 'survey-reminders', `ticket:${ticketId}`)).toHaveLength(1));
    await waitForMails(customer.email, 'survey-invitation:');
  });
});
