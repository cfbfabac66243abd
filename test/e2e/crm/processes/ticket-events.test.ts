import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startCrmHarness, type CrmHarness } from '../../../support/crm-harness';
import { ADMIN_KEY, createCustomer, json, uniqueSuffix, until } from './crm-fixtures';
import {
  createSurvey,
  getTicket,
  openTask,
  openTicket,
  resolveTicketThroughTasks,
  untilStepStarted,
} from './service-process-fixtures';

interface TimelineEntry {
  type: string;
  detail?: { event?: string } | null;
}

/** Issue 14 item 3: a reopen before the resolution is refused, not held until the ticket is resolved. */
describe('ticket events only in the states that give them meaning (built-in ticket-escalation)', () => {
  let h: CrmHarness;

  beforeAll(async () => {
    h = await startCrmHarness();
    await createSurvey(h);
  });
  afterAll(async () => {
    await h.close();
  });

  const post = (url: string, payload?: object) =>
    h.call(ADMIN_KEY, { method: 'POST', url, ...(payload ? { payload } : {}) });
  const timeline = async (instanceId: string) =>
    json<{ items: TimelineEntry[] }>(
      await h.call(ADMIN_KEY, { method: 'GET', url: `/api/v1/instances/${encodeURIComponent(instanceId)}/timeline` }),
      200,
    ).items;

  it('refuses a reopen or confirmation of an open ticket with 409; the process ignores an early event; a reopen after resolution reopens', async () => {
    const customer = await createCustomer(h, { grade: 'B' });
    const { ticketId, instanceId } = await openTicket(h, {
      customerId: customer.id,
      subject: `Printer jams ${uniqueSuffix()}`,
      body: 'The printer jams on every page.',
    });
    await openTask(h, instanceId, 'respond');

    for (const action of ['reopen', 'confirm']) {
      const refused = await post(`/api/v1/tickets/${ticketId}/${action}`, action === 'reopen' ? {} : undefined);
      expect(refused.statusCode).toBe(409);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      const problem = refused.json<{ type: string; detail: string; recordStatus: string }>();
      expect(problem.type).toBe('https://crm-engine.dev/problems/event-not-allowed');
      expect(problem.detail).toContain('acknowledged');
      expect(problem.recordStatus).toBe('acknowledged');
    }

    // Straight into the instance, past the ticket route: no receive waits for it, so the process drops it.
    json(
      await post(`/api/v1/instances/${encodeURIComponent(instanceId)}/events`, {
        event: 'ticket.reopened',
        payload: { ticketId, reason: 'too early', by: 'admin' },
      }),
      202,
    );
    await until(async () =>
      expect(await timeline(instanceId)).toContainEqual(
        expect.objectContaining({
          type: 'event.ignored',
          detail: expect.objectContaining({ event: 'ticket.reopened' }),
        }),
      ),
    );

    await resolveTicketThroughTasks(h, instanceId, 'Cleaned the rollers.');
    await untilStepStarted(h, instanceId, 'confirmEvent');
    // Held, the early reopen would be taken the moment the process listens for it.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await getTicket(h, ticketId)).status).toBe('resolved');
    const state = json<{ bufferedEvents?: unknown[] }>(
      await h.call(ADMIN_KEY, { method: 'GET', url: `/api/v1/instances/${encodeURIComponent(instanceId)}/state` }),
      200,
    );
    expect(state.bufferedEvents ?? []).toEqual([]);

    json(await post(`/api/v1/tickets/${ticketId}/reopen`, { reason: 'jams again' }), 202);
    await until(async () => expect((await getTicket(h, ticketId)).status).toBe('reopened'));
    await openTask(h, instanceId, 'respond', 2);
  });
});
