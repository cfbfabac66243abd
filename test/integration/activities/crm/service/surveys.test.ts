import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { SurveyInvitationCreated } from '../../../../../db/crm/surveys/survey.schema';
import { openOrm, type Orm } from '../../../../../db/orm';
import { testServers } from '../../../../support/test-env';
import {
  insertContact,
  insertCustomer,
  insertResponse,
  insertSurvey,
  selectRows,
  serviceActivities,
} from './service-fixtures';

/** Survey invitations, reminders, expiry, analysis and the follow-up ticket against real PostgreSQL. */
describe('CRM survey activities', () => {
  let orm: Orm;
  let activities: ReturnType<typeof serviceActivities>;
  const env = new MockActivityEnvironment();
  beforeAll(async () => {
    orm = await openOrm(testServers().databaseUrl, { poolMax: 4 });
    activities = serviceActivities(orm, () => new Date('2025-06-01T08:00:00Z'));
  });
  afterAll(async () => {
    await orm.close();
  });

  /** A customer with a primary contact, a survey and an invitation to it. */
  async function invited(locale = 'en'): Promise<SurveyInvitationCreated & { customerId: string }> {
    const customerId = await insertCustomer(orm, { locale, name: 'Acme Trading' });
    await insertContact(orm, customerId, { primary: true });
    const surveyId = await insertSurvey(orm);
    const invitation = (await env.run(activities['crm.createSurveyInvitation'], {
      customerId,
      triggerRef: `ticket:T-${customerId}`,
      surveyId,
    })) as SurveyInvitationCreated;
    return { ...invitation, customerId };
  }
  const invitationRow = async (id: string) =>
    (await selectRows<Record<string, unknown>>(orm, 'select * from survey_invitations where id = ?', [id]))[0]!;

  it('invites the primary contact once, however often it is retried', async () => {
    const customerId = await insertCustomer(orm, { locale: 'zh-CN', name: '上海示例贸易有限公司' });
    await insertContact(orm, customerId, { email: 'other@example.test' });
    await insertContact(orm, customerId, { email: 'primary@example.test', primary: true });
    const surveyId = await insertSurvey(orm);
    const params = { customerId, triggerRef: `ticket:T-${customerId}`, surveyId, expiresAfter: 'P7D' };
    const first = (await env.run(activities['crm.createSurveyInvitation'], params)) as SurveyInvitationCreated;
    const retry = (await env.run(activities['crm.createSurveyInvitation'], params)) as SurveyInvitationCreated;

    expect(first).toEqual({
      invitationId: expect.stringMatching(/^SI-/),
      surveyId,
      surveyTitle: `Survey ${surveyId}`,
      email: 'primary@example.test',
      locale: 'zh-CN',
      customerName: '上海示例贸易有限公司',
      surveyUrl: `https://crm.example.test/api/v1/survey-invitations/${first.invitationId}`,
      expiresOn: '2025-06-08',
      status: 'sent',
    });
    expect(retry).toEqual(first);
    const rows = await selectRows(orm, 'select id from survey_invitations where survey_id = ? and trigger_ref = ?', [
      surveyId,
      params.triggerRef,
    ]);
    expect(rows).toHaveLength(1);

    // Two attempts racing (a retry while the first is still running) still make one invitation.
    const raced = { ...params, triggerRef: `order:O-${customerId}` };
    const [a, b] = await Promise.all([
      env.run(activities['crm.createSurveyInvitation'], raced),
      env.run(activities['crm.createSurveyInvitation'], raced),
    ]);
    expect(a).toEqual(b);
    expect(
      await selectRows(orm, 'select id from survey_invitations where survey_id = ? and trigger_ref = ?', [
        surveyId,
        raced.triggerRef,
      ]),
    ).toHaveLength(1);
  });

  it('defaults to the oldest active survey and a 14-day expiry', async () => {
    const customerId = await insertCustomer(orm);
    await insertContact(orm, customerId);
    await insertSurvey(orm);
    const [oldest] = await selectRows<{ id: string }>(
      orm,
      'select id from surveys where active order by created_at, id limit 1',
      [],
    );
    const invitation = (await env.run(activities['crm.createSurveyInvitation'], {
      customerId,
      triggerRef: `order:O-${customerId}`,
    })) as SurveyInvitationCreated;
    expect(invitation).toMatchObject({ surveyId: oldest!.id, expiresOn: '2025-06-15', locale: 'zh-CN' });
  });

  it('refuses without retrying: unknown customer, no contact with an e-mail, unknown survey, a duration in months', async () => {
    const create = activities['crm.createSurveyInvitation'];
    const surveyId = await insertSurvey(orm);
    await expect(
      env.run(create, { customerId: 'C-no-such-customer', triggerRef: 'ticket:x', surveyId }),
    ).rejects.toMatchObject({ type: 'survey.unknown-customer', nonRetryable: true });
    const mute = await insertCustomer(orm);
    await insertContact(orm, mute, { email: null, primary: true });
    await expect(env.run(create, { customerId: mute, triggerRef: 'ticket:x', surveyId })).rejects.toMatchObject({
      type: 'survey.no-recipient',
      nonRetryable: true,
    });
    const reachable = await insertCustomer(orm);
    await insertContact(orm, reachable);
    await expect(
      env.run(create, { customerId: reachable, triggerRef: 'ticket:x', surveyId: 'S-no-such-survey' }),
    ).rejects.toMatchObject({ type: 'survey.unknown', nonRetryable: true });
    await expect(
      env.run(create, { customerId: reachable, triggerRef: 'ticket:x', surveyId, expiresAfter: 'P1M' }),
    ).rejects.toMatchObject({ type: 'survey.invalid-duration', nonRetryable: true });
    const unknown = { type: 'survey.unknown-invitation', nonRetryable: true };
    const invitationId = 'SI-no-such-invitation';
    await expect(
      env.run(activities['crm.recordSurveyReminder'], { invitationId, reminderNo: 1 }),
    ).rejects.toMatchObject(unknown);
    await expect(env.run(activities['crm.expireSurveyInvitation'], { invitationId })).rejects.toMatchObject(unknown);
    await expect(env.run(activities['crm.analyseSurveyResponse'], { invitationId })).rejects.toMatchObject(unknown);
    await expect(env.run(activities['crm.openFollowUpTicket'], { invitationId })).rejects.toMatchObject(unknown);
  });

  it('never counts a reminder twice, and leaves answered invitations alone', async () => {
    const { invitationId } = await invited();
    const remind = activities['crm.recordSurveyReminder'];
    expect(await env.run(remind, { invitationId, reminderNo: 1 })).toEqual({
      invitationId,
      status: 'reminded',
      remindersSent: 1,
    });
    expect(await env.run(remind, { invitationId, reminderNo: 1 })).toEqual({
      invitationId,
      status: 'reminded',
      remindersSent: 1,
    });
    expect(await env.run(remind, { invitationId, reminderNo: 2 })).toEqual({
      invitationId,
      status: 'reminded',
      remindersSent: 2,
    });
    expect(await env.run(remind, { invitationId, reminderNo: 1 })).toEqual({
      invitationId,
      status: 'reminded',
      remindersSent: 2,
    });
    expect(await invitationRow(invitationId)).toMatchObject({ reminders_sent: 2, last_reminded_at: expect.anything() });

    const answered = await invited();
    await insertResponse(orm, answered.invitationId, { speed: 5 });
    expect(await env.run(remind, { invitationId: answered.invitationId, reminderNo: 1 })).toEqual({
      invitationId: answered.invitationId,
      status: 'responded',
      remindersSent: 0,
    });
  });

  it('expires an unanswered invitation but not an answered one', async () => {
    const open = await invited();
    const answered = await invited();
    await insertResponse(orm, answered.invitationId, { speed: 4 });
    const expire = activities['crm.expireSurveyInvitation'];
    expect(await env.run(expire, { invitationId: open.invitationId })).toEqual({
      invitationId: open.invitationId,
      status: 'expired',
    });
    expect(await env.run(expire, { invitationId: open.invitationId })).toEqual({
      invitationId: open.invitationId,
      status: 'expired',
    });
    expect(await env.run(expire, { invitationId: answered.invitationId })).toEqual({
      invitationId: answered.invitationId,
      status: 'responded',
    });
    expect(
      await env.run(activities['crm.recordSurveyReminder'], { invitationId: open.invitationId, reminderNo: 1 }),
    ).toMatchObject({ status: 'expired', remindersSent: 0 });
  });

  it('analyses a low response and stores its score; an unanswered invitation is not low', async () => {
    const { invitationId } = await invited();
    const analyse = activities['crm.analyseSurveyResponse'];
    expect(await env.run(analyse, { invitationId })).toEqual({
      invitationId,
      responded: false,
      score: null,
      low: false,
      ratings: [],
      lowAreas: [],
      keywords: [],
    });
    await insertResponse(orm, invitationId, { speed: 1, staff: 4, solved: 'no', comment: '处理太慢，客服态度也不好' });
    expect(await env.run(analyse, { invitationId })).toEqual({
      invitationId,
      responded: true,
      score: 2.5,
      low: true,
      ratings: [
        { questionId: 'speed', text: 'Speed of the response', rating: 1 },
        { questionId: 'staff', text: 'Friendliness of the staff', rating: 4 },
      ],
      lowAreas: [{ questionId: 'speed', text: 'Speed of the response', rating: 1 }],
      keywords: ['慢', '态度'],
    });
    const [response] = await selectRows<{ score: string }>(
      orm,
      'select score from survey_responses where invitation_id = ?',
      [invitationId],
    );
    expect(Number(response!.score)).toBe(2.5);
    expect(await env.run(analyse, { invitationId, policy: { lowScoreThreshold: 2 } })).toMatchObject({
      score: 2.5,
      low: false,
    });
  });

  it('opens one follow-up complaint ticket with one ticket.opened event, however often it is retried', async () => {
    const { invitationId, customerId, surveyTitle, email } = await invited();
    await insertResponse(orm, invitationId, { speed: 2, staff: 2, comment: 'Rude and slow.' });
    const open = activities['crm.openFollowUpTicket'];
    const first = await env.run(open, { invitationId, reason: 'Score below 3' });
    const retry = await env.run(open, { invitationId, reason: 'Score below 3' });
    const ticketId = `T-FU-${invitationId}`;
    expect(first).toEqual({ ticketId, created: true });
    expect(retry).toEqual({ ticketId, created: false });

    const [ticket] = await selectRows<Record<string, unknown>>(orm, 'select * from tickets where id = ?', [ticketId]);
    expect(ticket).toMatchObject({
      customer_id: customerId,
      category: 'complaint',
      status: 'open',
      subject: `Low satisfaction score 2.0 (survey ${surveyTitle})`,
    });
    expect(ticket!.body).toContain('Score below 3');
    expect(ticket!.body).toContain('- Speed of the response: 2/5');
    expect(ticket!.body).toContain('Keywords: slow*, rude');
    const events = await selectRows<{ payload: unknown }>(
      orm,
      `select payload from process_event where event = 'ticket.opened' and dedupe_key = ?`,
      [ticketId],
    );
    expect(events).toEqual([{ payload: { ticketId } }]);
    expect(await env.run(activities['crm.loadTicket'], { ticketId })).toMatchObject({
      contactEmail: email,
      customer: { id: customerId },
    });
  });
});
