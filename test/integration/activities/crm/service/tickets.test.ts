import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { LoadedTicket, TicketClosed } from '../../../../../db/crm/tickets/ticket.schema';
import { openOrm, type Orm } from '../../../../../db/orm';
import { testServers } from '../../../../support/test-env';
import { insertContact, insertCustomer, insertTicket, selectRows, serviceActivities } from './service-fixtures';

/** Ticket activities against real PostgreSQL: reads, writes and the close event under retry. */
describe('CRM ticket activities', () => {
  let orm: Orm;
  let activities: ReturnType<typeof serviceActivities>;
  const env = new MockActivityEnvironment();
  beforeAll(async () => {
    orm = await openOrm(testServers().databaseUrl, { poolMax: 4 });
    activities = serviceActivities(orm);
  });
  afterAll(async () => {
    await orm.close();
  });

  const ticketRow = async (id: string) =>
    (await selectRows<Record<string, unknown>>(orm, 'select * from tickets where id = ?', [id]))[0]!;

  it("loads a ticket with its customer, the ticket contact's e-mail, the locale and the grade", async () => {
    const customerId = await insertCustomer(orm, { grade: 'VIP', locale: 'zh-CN', name: '上海示例贸易有限公司' });
    await insertContact(orm, customerId, { primary: true, email: 'primary@example.test' });
    const reporter = await insertContact(orm, customerId, { email: 'reporter@example.test' });
    const ticketId = await insertTicket(orm, {
      customerId,
      contactId: reporter,
      subject: '无法打印发票',
      body: '打印机没有反应',
    });

    const loaded = (await env.run(activities['crm.loadTicket'], { ticketId })) as LoadedTicket;
    expect(loaded).toEqual({
      ticket: {
        id: ticketId,
        subject: '无法打印发票',
        body: '打印机没有反应',
        text: '无法打印发票\n打印机没有反应',
        status: 'open',
        category: 'other',
        priority: 'normal',
        assigneeId: null,
        openedAt: '2025-03-01T09:00:00.000Z',
      },
      customer: { id: customerId, name: '上海示例贸易有限公司', grade: 'VIP', locale: 'zh-CN' },
      contactEmail: 'reporter@example.test',
      locale: 'zh-CN',
      customerGrade: 'VIP',
    });
  });

  it('falls back to the primary contact, then to any contact with an e-mail', async () => {
    const customerId = await insertCustomer(orm, { grade: 'A', locale: 'en' });
    await insertContact(orm, customerId, { email: null, primary: true });
    const other = await insertContact(orm, customerId, { email: 'any@example.test' });
    const noContact = await insertTicket(orm, { customerId });
    expect(await env.run(activities['crm.loadTicket'], { ticketId: noContact })).toMatchObject({
      contactEmail: 'any@example.test',
      locale: 'en',
      customerGrade: 'A',
    });

    await insertContact(orm, customerId, { email: 'boss@example.test', primary: true });
    expect(await env.run(activities['crm.loadTicket'], { ticketId: noContact })).toMatchObject({
      contactEmail: 'boss@example.test',
    });
    const withContact = await insertTicket(orm, { customerId, contactId: other });
    expect(await env.run(activities['crm.loadTicket'], { ticketId: withContact })).toMatchObject({
      contactEmail: 'any@example.test',
    });
  });

  it('loads a ticket without a customer as grade C in English', async () => {
    const ticketId = await insertTicket(orm);
    expect(await env.run(activities['crm.loadTicket'], { ticketId })).toMatchObject({
      customer: null,
      contactEmail: null,
      locale: 'en',
      customerGrade: 'C',
      ticket: { text: 'Printer broken\nIt prints nothing.' },
    });
  });

  it('refuses unknown tickets without retrying, on every ticket activity', async () => {
    const ticketId = 'T-no-such-ticket';
    const unknown = { type: 'ticket.unknown', nonRetryable: true };
    await expect(env.run(activities['crm.loadTicket'], { ticketId })).rejects.toMatchObject(unknown);
    await expect(
      env.run(activities['crm.updateTicket'], { ticketId, priority: 'high' as const }),
    ).rejects.toMatchObject(unknown);
    await expect(env.run(activities['crm.assignTicket'], { ticketId, role: 'service-desk' })).rejects.toMatchObject(
      unknown,
    );
    await expect(env.run(activities['crm.recordTicketResponse'], { ticketId, actorId: 'u' })).rejects.toMatchObject(
      unknown,
    );
    await expect(
      env.run(activities['crm.resolveTicket'], { ticketId, resolution: 'x', actorId: 'u' }),
    ).rejects.toMatchObject(unknown);
    await expect(env.run(activities['crm.reopenTicket'], { ticketId })).rejects.toMatchObject(unknown);
    await expect(env.run(activities['crm.closeTicket'], { ticketId })).rejects.toMatchObject(unknown);
  });

  it('writes only the fields given', async () => {
    const ticketId = await insertTicket(orm);
    const result = await env.run(activities['crm.updateTicket'], {
      ticketId,
      category: 'complaint',
      priority: 'urgent',
      redAlert: true,
      queue: 'customer-relations',
      responseDueAt: '2025-03-01T09:30:00Z',
      resolutionDueAt: '2025-03-01T13:00:00+00:00',
    } as const);
    expect(result).toEqual({ ticketId, status: 'open', priority: 'urgent', category: 'complaint' });
    await env.run(activities['crm.updateTicket'], { ticketId, status: 'acknowledged' as const });
    const row = await ticketRow(ticketId);
    expect(row).toMatchObject({
      category: 'complaint',
      priority: 'urgent',
      red_alert: true,
      queue: 'customer-relations',
      status: 'acknowledged',
    });
    expect(new Date(row.response_due_at as string).toISOString()).toBe('2025-03-01T09:30:00.000Z');
    expect(new Date(row.resolution_due_at as string).toISOString()).toBe('2025-03-01T13:00:00.000Z');
  });

  it('keeps the first response time, resolves once, and reopens', async () => {
    const ticketId = await insertTicket(orm);
    const clock = (iso: string) => serviceActivities(orm, () => new Date(iso));
    const first = await env.run(clock('2025-03-01T10:00:00Z')['crm.recordTicketResponse'], {
      ticketId,
      actorId: 'agent',
    });
    const again = await env.run(clock('2025-03-01T11:00:00Z')['crm.recordTicketResponse'], {
      ticketId,
      actorId: 'agent',
    });
    expect(first).toEqual({ ticketId, respondedAt: '2025-03-01T10:00:00.000Z' });
    expect(again).toEqual(first);
    expect(await ticketRow(ticketId)).toMatchObject({ status: 'in-progress' });

    const resolved = await env.run(clock('2025-03-02T10:00:00Z')['crm.resolveTicket'], {
      ticketId,
      resolution: 'Driver reinstalled',
      actorId: 'agent',
    });
    const retried = await env.run(clock('2025-03-02T11:00:00Z')['crm.resolveTicket'], {
      ticketId,
      resolution: 'Driver reinstalled',
      actorId: 'agent',
    });
    expect(resolved).toEqual({ ticketId, resolvedAt: '2025-03-02T10:00:00.000Z' });
    expect(retried).toEqual(resolved);
    expect(await ticketRow(ticketId)).toMatchObject({ status: 'resolved', resolution: 'Driver reinstalled' });

    expect(await env.run(activities['crm.reopenTicket'], { ticketId, reason: 'Still broken' })).toEqual({
      ticketId,
      status: 'reopened',
    });
    expect(await ticketRow(ticketId)).toMatchObject({ status: 'reopened', resolved_at: null });
  });

  it('closes once and raises exactly one ticket.closed however often it is retried or closed again', async () => {
    const customerId = await insertCustomer(orm);
    const ticketId = await insertTicket(orm, { customerId, status: 'resolved' });
    const close = serviceActivities(orm, () => new Date('2025-03-03T08:00:00Z'))['crm.closeTicket'];
    const first = (await env.run(close, { ticketId })) as TicketClosed;
    const retry = (await env.run(close, { ticketId })) as TicketClosed;
    expect(first).toEqual({ ticketId, closedAt: '2025-03-03T08:00:00.000Z', surveyEventRaised: true });
    expect(retry).toEqual(first);

    await env.run(activities['crm.reopenTicket'], { ticketId });
    const reclosed = (await env.run(activities['crm.closeTicket'], { ticketId })) as TicketClosed;
    expect(reclosed.surveyEventRaised).toBe(true);
    expect(await ticketRow(ticketId)).toMatchObject({ status: 'closed' });

    const events = await selectRows<{ payload: unknown; raised_by: string }>(
      orm,
      `select payload, raised_by from process_event where event = 'ticket.closed' and dedupe_key = ?`,
      [ticketId],
    );
    expect(events).toEqual([
      { payload: { ticketId, customerId, triggerRef: `ticket:${ticketId}` }, raised_by: 'activity:crm.closeTicket' },
    ]);
  });

  it('closes a ticket without a customer without raising an event', async () => {
    const ticketId = await insertTicket(orm);
    expect(await env.run(activities['crm.closeTicket'], { ticketId })).toMatchObject({
      ticketId,
      surveyEventRaised: false,
    });
    expect(await selectRows(orm, 'select id from process_event where dedupe_key = ?', [ticketId])).toEqual([]);
  });
});
