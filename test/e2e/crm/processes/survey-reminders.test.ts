import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { recordHistory } from '../../../workflow/support/history-recorder';
import { startCrmHarness, type CrmHarness } from '../../../support/crm-harness';
import { ADMIN_KEY, createCustomer, json, until } from './crm-fixtures';
import {
  answersFor,
  closeTicketThroughApi,
  createSurvey,
  getInvitation,
  getTicket,
  instanceStatus,
  instancesFor,
  invitationsOf,
  mailsTo,
  untilStepStarted,
  waitForMails,
  type InvitationView,
} from './service-process-fixtures';

/**
 * The built-in survey-reminders template on a time-skipping server, started the way customers
 * meet it: a ticket is closed through the API, which raises ticket.closed.
 */
describe('survey reminders (built-in template, time-skipping)', () => {
  let h: CrmHarness;
  beforeAll(async () => {
    h = await startCrmHarness({ timeSkipping: true });
    await createSurvey(h);
  });
  afterAll(async () => {
    await h.close();
  });

  const sleep = (duration: string) => h.env!.sleep(duration);

  /** A customer whose closed ticket has started the survey: its invitation, the instance waiting for day 3. */
  async function surveyedCustomer(locale = 'en') {
    const customer = await createCustomer(h, { locale });
    const ticketId = await closeTicketThroughApi(h, customer.id);
    const [instance] = await until(async () => {
      const found = await instancesFor(h, 'survey-reminders', `ticket:${ticketId}`);
      expect(found).toHaveLength(1);
      return found;
    });
    const [invitationMail] = await waitForMails(customer.email, 'survey-invitation:');
    const invitations = await invitationsOf(h, customer.id);
    expect(invitations).toEqual([expect.objectContaining({ triggerRef: `ticket:${ticketId}`, status: 'sent' })]);
    const invitation = await getInvitation(h, invitations[0]!.id);
    // No survey is named by the template: the oldest active survey of the shared database is used.
    const [oldest] = await h.sql<{ id: string }>('select id from surveys where active order by created_at, id limit 1');
    expect(invitation.survey.id).toBe(oldest!.id);
    expect(invitationMail!.headers['x-idempotency-key']).toBe(`survey-invitation:${invitation.id}`);
    await untilStepStarted(h, instance!.id, 'waitDay3');
    return { customer, ticketId, instanceId: instance!.id, invitation };
  }

  const reminders = (email: string) => mailsTo(email, 'survey-reminder:');
  const answer = async (invitation: InvitationView, answers: Record<string, unknown>) =>
    json<{ score: number | null; processNotified: boolean }>(
      await h.call(ADMIN_KEY, {
        method: 'POST',
        url: `/api/v1/survey-invitations/${encodeURIComponent(invitation.id)}/responses`,
        payload: { answers },
      }),
      201,
    );
  const followUps = (invitationId: string) =>
    h.sql<{ id: string; category: string; customer_id: string }>(
      'select id, category, customer_id from tickets where id = ?',
      [`T-FU-${invitationId}`],
    );

  it('reminds a non-responder on day 3 and day 7 only, and expires the invitation on day 14', async () => {
    const { customer, instanceId, invitation } = await surveyedCustomer();

    await sleep('3 days');
    await waitForMails(customer.email, `survey-reminder:1:${invitation.id}`);
    expect(await getInvitation(h, invitation.id)).toMatchObject({ status: 'reminded', remindersSent: 1 });
    await untilStepStarted(h, instanceId, 'waitDay7');

    await sleep('4 days');
    await waitForMails(customer.email, `survey-reminder:2:${invitation.id}`);
    expect(await getInvitation(h, invitation.id)).toMatchObject({ status: 'reminded', remindersSent: 2 });
    await untilStepStarted(h, instanceId, 'waitDay14');

    await sleep('7 days');
    await until(async () =>
      expect(await getInvitation(h, invitation.id)).toMatchObject({ status: 'expired', remindersSent: 2 }),
    );
    await until(async () => expect(await instanceStatus(h, instanceId)).toBe('completed'));
    await recordHistory(h.client.workflow.getHandle(instanceId), 'builtin-survey-reminders');

    await sleep('7 days');
    const sent = await reminders(customer.email);
    expect(sent.map((m) => m.headers['x-idempotency-key']).sort()).toEqual([
      `survey-reminder:1:${invitation.id}`,
      `survey-reminder:2:${invitation.id}`,
    ]);
    const rows = await h.sql<{ reminders_sent: number; status: string }>(
      'select reminders_sent, status from survey_invitations where id = ?',
      [invitation.id],
    );
    expect(rows).toEqual([{ reminders_sent: 2, status: 'expired' }]);
    expect(await followUps(invitation.id)).toEqual([]);
  });

  it('stops reminding a customer who answers after the first reminder, stores the score and opens no follow-up', async () => {
    const { customer, instanceId, invitation } = await surveyedCustomer();
    await sleep('3 days');
    await waitForMails(customer.email, `survey-reminder:1:${invitation.id}`);
    await untilStepStarted(h, instanceId, 'waitDay7');

    const response = await answer(
      invitation,
      answersFor(invitation.survey.questions, { fallbackRating: 5, comment: 'Quick and friendly, thank you.' }),
    );
    expect(response.processNotified).toBe(true);
    await until(async () => expect(await instanceStatus(h, instanceId)).toBe('completed'));
    const [stored] = await h.sql<{ score: string | number }>(
      'select score from survey_responses where invitation_id = ?',
      [invitation.id],
    );
    expect(Number(stored!.score)).toBe(5);

    await sleep('11 days');
    expect((await reminders(customer.email)).map((m) => m.headers['x-idempotency-key'])).toEqual([
      `survey-reminder:1:${invitation.id}`,
    ]);
    expect(await getInvitation(h, invitation.id)).toMatchObject({ status: 'responded', remindersSent: 1 });
    expect(await followUps(invitation.id)).toEqual([]);
  });

  it('turns a low score into a complaint ticket that starts its own ticket-escalation', async () => {
    const { customer, instanceId, invitation } = await surveyedCustomer('zh-CN');
    await answer(
      invitation,
      answersFor(invitation.survey.questions, {
        ratings: { overall: 1, speed: 2 },
        fallbackRating: 1,
        comment: 'Far too slow, 客服态度差',
      }),
    );
    await until(async () => expect(await instanceStatus(h, instanceId)).toBe('completed'));

    const followUpId = `T-FU-${invitation.id}`;
    await until(async () =>
      expect(await followUps(invitation.id)).toEqual([
        { id: followUpId, category: 'complaint', customer_id: customer.id },
      ]),
    );
    const [escalation] = await until(async () => {
      const found = await instancesFor(h, 'ticket-escalation', followUpId);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(escalation!.status).toBe('running');
    // Triage keeps the complaint (the follow-up's text mentions "slow", a technical keyword).
    await until(async () =>
      expect(await getTicket(h, followUpId)).toMatchObject({
        category: 'complaint',
        status: 'acknowledged',
        queue: 'customer-relations',
      }),
    );
    await waitForMails(customer.email, `ticket-received:${followUpId}`);
    expect(await reminders(customer.email)).toEqual([]);
  });
});
