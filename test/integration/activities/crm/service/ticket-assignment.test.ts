import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { TicketAssignment } from '../../../../../db/crm/tickets/ticket.schema';
import { openOrm, type Orm } from '../../../../../db/orm';
import { testServers } from '../../../../support/test-env';
import { insertTicket, insertUser, selectRows, serviceActivities, uid } from './service-fixtures';

/** crm.assignTicket against real PostgreSQL; each test invents its own role, so no other user competes. */
describe('crm.assignTicket', () => {
  let orm: Orm;
  let assign: ReturnType<typeof serviceActivities>['crm.assignTicket'];
  const env = new MockActivityEnvironment();
  beforeAll(async () => {
    orm = await openOrm(testServers().databaseUrl, { poolMax: 4 });
    assign = serviceActivities(orm)['crm.assignTicket'];
  });
  afterAll(async () => {
    await orm.close();
  });

  const assigneeOf = async (ticketId: string) =>
    (
      await selectRows<{ assignee_id: string | null }>(orm, 'select assignee_id from tickets where id = ?', [ticketId])
    )[0]?.assignee_id;
  const giveOpenTickets = async (userId: string, open: number, done = 0) => {
    for (let i = 0; i < open; i++)
      await insertTicket(orm, { assigneeId: userId, status: i % 2 === 0 ? 'open' : 'in-progress' });
    for (let i = 0; i < done; i++)
      await insertTicket(orm, { assigneeId: userId, status: i % 2 === 0 ? 'resolved' : 'closed' });
  };

  it('prefers a user with the skill over a less busy one without, then the least busy skilled user', async () => {
    const role = uid('technical-support');
    await insertUser(orm, [role], { skills: ['billing'] });
    const busySkilled = await insertUser(orm, [role], { skills: ['printers', 'network'], locale: 'zh-CN' });
    const lessBusySkilled = await insertUser(orm, [role], { skills: ['printers'] });
    await giveOpenTickets(busySkilled, 3, 0);
    await giveOpenTickets(lessBusySkilled, 2, 5);
    await insertUser(orm, [role], { skills: ['printers'] }, false);
    await insertUser(orm, ['sales'], { skills: ['printers'] });

    const ticketId = await insertTicket(orm);
    const result = (await env.run(assign, { ticketId, role, skill: 'printers' })) as TicketAssignment;
    expect(result.assignee).toEqual({
      id: lessBusySkilled,
      name: `User ${lessBusySkilled}`,
      email: `${lessBusySkilled}@example.test`,
      locale: 'en',
    });
    expect(result.reason).toMatch(/skill printers.*2 open tickets/);
    expect(await assigneeOf(ticketId)).toBe(lessBusySkilled);
  });

  it('takes the least busy holder of the role when nobody has the skill, ties broken by id', async () => {
    const role = uid('service-desk');
    const idle = [await insertUser(orm, [role, 'sales']), await insertUser(orm, [role])].sort();
    const busy = await insertUser(orm, [role]);
    await giveOpenTickets(busy, 1);
    const ticketId = await insertTicket(orm);
    const result = (await env.run(assign, { ticketId, role, skill: 'mainframes' })) as TicketAssignment;
    expect(result.assignee?.id).toBe(idle[0]);
    expect(result.reason).toMatch(/no active .* has skill mainframes/);
  });

  it('keeps the current assignee on a retry and on a second assignment, even when others are now less busy', async () => {
    const role = uid('customer-relations');
    const first = await insertUser(orm, [role]);
    const ticketId = await insertTicket(orm);
    expect(((await env.run(assign, { ticketId, role })) as TicketAssignment).assignee?.id).toBe(first);
    await giveOpenTickets(first, 4);
    const idle = await insertUser(orm, [role]);
    const retry = (await env.run(assign, { ticketId, role })) as TicketAssignment;
    expect(retry.assignee?.id).toBe(first);
    expect(retry.reason).toMatch(/kept/);

    // Excluded (e.g. escalation away from them), the ticket moves to the other holder of the role.
    const moved = (await env.run(assign, { ticketId, role, excludeUserIds: [first] })) as TicketAssignment;
    expect(moved.assignee?.id).toBe(idle);
    expect(await assigneeOf(ticketId)).toBe(idle);
  });

  it('moves a ticket whose assignee does not hold the role', async () => {
    const role = uid('customer-relations-manager');
    const outsider = await insertUser(orm, ['sales']);
    const manager = await insertUser(orm, [role], { locale: 'zh-CN' });
    const ticketId = await insertTicket(orm, { assigneeId: outsider });
    expect(((await env.run(assign, { ticketId, role })) as TicketAssignment).assignee).toMatchObject({
      id: manager,
      locale: 'zh-CN',
    });
  });

  it('answers null and leaves the ticket alone when nobody active holds the role', async () => {
    const role = uid('nobody');
    await insertUser(orm, [role], {}, false);
    const holder = await insertUser(orm, ['sales']);
    const ticketId = await insertTicket(orm, { assigneeId: holder });
    expect(await env.run(assign, { ticketId, role })).toEqual({
      assignee: null,
      reason: `nobody active holds ${role}`,
    });
    expect(await assigneeOf(ticketId)).toBe(holder);
  });
});
