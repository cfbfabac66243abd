import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { recordHistory } from '../../../workflow/support/history-recorder';
import { startCrmHarness, type CrmHarness } from '../../../support/crm-harness';
import { ADMIN_KEY, complete, createCustomer, inbox, json, uniqueSuffix, until } from './crm-fixtures';
import {
  createServiceUser,
  createSurvey,
  deactivateUsers,
  getTicket,
  instancesFor,
  openTask,
  openTicket,
  tasksOf,
  userRow,
  waitForMails,
  type ServiceUser,
} from './service-process-fixtures';

const MINUTE = 60_000;

/** The built-in ticket-escalation template, started by POST /tickets, on the real dev server (real time). */
describe('ticket escalation (built-in template, through the API)', () => {
  let h: CrmHarness;
  const users: ServiceUser[] = [];
  const staff = async (roles: string[], skills?: string[], locale?: string) => {
    const user = await createServiceUser(h, {
      roles,
      ...(skills ? { skills } : {}),
      firstInLine: true,
      ...(locale ? { locale } : {}),
    });
    users.push(user);
    return user;
  };

  beforeAll(async () => {
    h = await startCrmHarness();
    // Closing a ticket starts the survey, which needs an active survey (the oldest active one is used).
    await createSurvey(h);
  });
  afterEach(async () => {
    await deactivateUsers(h, users.splice(0));
  });
  afterAll(async () => {
    await h.close();
  });

  const confirm = async (ticketId: string) =>
    json(await h.call(ADMIN_KEY, { method: 'POST', url: `/api/v1/tickets/${ticketId}/confirm` }), 202);

  it("raises a red alert for a VIP's Chinese complaint: urgent, manager's queue, 30 min / 4 h SLA, zh-CN acknowledgement", async () => {
    const manager = await staff(['customer-relations-manager'], ['complaint'], 'zh-CN');
    const customer = await createCustomer(h, { grade: 'VIP', locale: 'zh-CN' });
    const subject = `投诉：售后服务 ${uniqueSuffix()}`;
    const { ticketId, instanceId } = await openTicket(h, {
      customerId: customer.id,
      subject,
      body: '我们对上次的上门服务非常不满意，请尽快联系。',
    });

    const ticket = await until(async () => {
      const row = await getTicket(h, ticketId);
      expect(row).toMatchObject({
        category: 'complaint',
        priority: 'urgent',
        redAlert: true,
        queue: 'customer-relations-manager',
        status: 'acknowledged',
        assigneeId: manager.id,
      });
      return row;
    });
    const openedAt = Date.parse(ticket.createdAt);
    expect(Date.parse(ticket.responseDueAt!) - openedAt).toBe(30 * MINUTE);
    expect(Date.parse(ticket.resolutionDueAt!) - openedAt).toBe(4 * 60 * MINUTE);

    const alerts = await until(async () => {
      const rows = await h.sql<{ actor: string; detail: Record<string, unknown> }>(
        `select actor, detail from audit_log where action = 'ticket.red-alert' and subject = ?`,
        [ticketId],
      );
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(alerts[0]!.detail).toMatchObject({
      category: 'complaint',
      grade: 'VIP',
      routeTo: 'customer-relations-manager',
    });

    const [received] = await waitForMails(customer.email, `ticket-received:${ticketId}`);
    expect(received!.subject).toBe(`我们已收到您的服务请求 [${ticketId}]`);
    expect(received!.text).toContain(subject);

    const task = await openTask(h, instanceId, 'respond');
    expect(task).toMatchObject({
      assignee: manager.id,
      candidate_role: 'customer-relations-manager',
      priority: 'urgent',
    });
    expect(Date.parse(String(task.due_at)) - Date.now()).toBeGreaterThan(25 * MINUTE);
    const mine = await inbox(h, manager.apiKey, instanceId);
    expect(mine.map((t) => [t.stepId, t.priority])).toEqual([['respond', 'urgent']]);
  });

  it("gives a B customer's technical request to a skilled technical agent and runs it through response, resolution and confirmation to the survey", async () => {
    // Both hold the role, idle; only the agent has the skill, so the agent gets the ticket whatever their ids.
    const unskilled = await staff(['technical-support'], ['crm']);
    const agent = await staff(['technical-support'], ['technical']);
    const customer = await createCustomer(h, { grade: 'B', locale: 'en' });
    const { ticketId, instanceId } = await openTicket(h, {
      customerId: customer.id,
      subject: `Cannot log in ${uniqueSuffix()}`,
      body: 'Since this morning every sign-in attempt ends with an error page.',
    });

    await until(async () =>
      expect(await getTicket(h, ticketId)).toMatchObject({
        category: 'technical',
        priority: 'normal',
        redAlert: false,
        queue: 'technical-support',
        assigneeId: agent.id,
      }),
    );
    const respond = await openTask(h, instanceId, 'respond');
    expect(respond).toMatchObject({ assignee: agent.id, candidate_role: 'technical-support', priority: 'normal' });
    const holder = await userRow(h, respond.assignee!);
    expect(holder.roles).toContain('technical-support');
    expect(holder.attributes.skills).toContain('technical');
    expect(await inbox(h, unskilled.apiKey, instanceId)).toEqual([]);
    await waitForMails(customer.email, `ticket-received:${ticketId}`);

    json(await complete(h, agent.apiKey, respond.id, 'responded', { reply: 'We are looking into it.' }), 200);
    await until(async () => {
      const row = await getTicket(h, ticketId);
      expect(row.status).toBe('in-progress');
      expect(row.respondedAt).not.toBeNull();
    });

    const resolve = await openTask(h, instanceId, 'resolve');
    expect(resolve.assignee).toBe(agent.id);
    const resolution = 'Reset the SSO session cache; sign-in works again.';
    json(await complete(h, agent.apiKey, resolve.id, 'resolved', { resolution }), 200);
    await until(async () => expect(await getTicket(h, ticketId)).toMatchObject({ status: 'resolved', resolution }));
    const [resolvedMail] = await waitForMails(customer.email, `ticket-resolved:${ticketId}`);
    expect(resolvedMail!.text).toContain(resolution);

    await confirm(ticketId);
    await until(async () => {
      const row = await getTicket(h, ticketId);
      expect(row.status).toBe('closed');
      expect(row.closedAt).not.toBeNull();
    });
    await until(async () =>
      expect(await instancesFor(h, 'ticket-escalation', ticketId)).toEqual([
        expect.objectContaining({ id: instanceId, status: 'completed' }),
      ]),
    );
    await recordHistory(h.client.workflow.getHandle(instanceId), 'builtin-ticket-escalation');
    await until(async () => expect(await instancesFor(h, 'survey-reminders', `ticket:${ticketId}`)).toHaveLength(1));
    const [invitation] = await waitForMails(customer.email, 'survey-invitation:');
    expect(invitation!.text).toContain(ticketId);
  });

  it('routes a product enquiry to sales; a reopened ticket gets a new response task and closes on confirmation', async () => {
    const seller = await staff(['sales'], ['sales'], 'zh-CN');
    const customer = await createCustomer(h, { grade: 'B', locale: 'zh-CN' });
    const { ticketId, instanceId } = await openTicket(h, {
      customerId: customer.id,
      subject: `产品咨询 ${uniqueSuffix()}`,
      body: '想了解贵公司 ERP 的功能。',
    });
    await until(async () =>
      expect(await getTicket(h, ticketId)).toMatchObject({
        category: 'sales',
        priority: 'normal',
        queue: 'sales',
        assigneeId: seller.id,
      }),
    );

    const handle = async (round: number) => {
      const respond = await openTask(h, instanceId, 'respond', round);
      expect(respond).toMatchObject({ assignee: seller.id, candidate_role: 'sales' });
      json(await complete(h, seller.apiKey, respond.id, 'responded', { reply: '已发送产品资料' }), 200);
      const resolve = await openTask(h, instanceId, 'resolve', round);
      json(await complete(h, seller.apiKey, resolve.id, 'resolved', { resolution: `第 ${round} 次答复` }), 200);
      await until(async () =>
        expect(await getTicket(h, ticketId)).toMatchObject({ status: 'resolved', resolution: `第 ${round} 次答复` }),
      );
    };
    await handle(1);

    json(await h.call(ADMIN_KEY, { method: 'POST', url: `/api/v1/tickets/${ticketId}/reopen`, payload: {} }), 202);
    await until(async () => {
      const row = await getTicket(h, ticketId);
      expect(row.status).toBe('reopened');
      expect(row.resolvedAt).toBeNull();
    });
    await until(async () =>
      expect((await tasksOf(h, instanceId, 'respond')).map((t) => t.status)).toEqual(['completed', 'open']),
    );
    await handle(2);

    await confirm(ticketId);
    await until(async () => expect((await getTicket(h, ticketId)).status).toBe('closed'));
    await until(async () =>
      expect(await instancesFor(h, 'ticket-escalation', ticketId)).toEqual([
        expect.objectContaining({ status: 'completed' }),
      ]),
    );
    expect((await waitForMails(customer.email, `ticket-resolved:${ticketId}`, 2)).length).toBe(2);
  });
});
