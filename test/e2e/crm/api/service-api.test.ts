import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { startApiHarness, type ApiHarness } from '../../../support/api-harness';

/** Tickets are support's (tickets.read/write); invitations are read by customer relations, answered by admins and systems. */
const SUPPORT_KEY = 'demo-support-lead-key';
const CUSTOMER_RELATIONS_KEY = 'demo-cr-manager-key';

/** Tickets and surveys through HTTP on the real servers. */
describe('CRM service API', () => {
  let api: ApiHarness;
  let customerId: string;
  let surveyId: string;
  beforeAll(async () => {
    api = await startApiHarness();
    customerId = (
      await api.call('rep', {
        method: 'POST',
        url: '/api/v1/customers',
        payload: { name: `Service Co ${randomUUID().slice(0, 6)}`, locale: 'en' },
      })
    ).json().id;
    const survey = await api.call('admin', {
      method: 'POST',
      url: '/api/v1/surveys',
      payload: {
        name: 'After ticket',
        questions: [
          { id: 'overall', text: 'How satisfied are you?', kind: 'rating', required: true },
          { id: 'channel', text: 'How did you reach us?', kind: 'single', options: ['phone', 'mail'] },
          { id: 'liked', text: 'What did you like?', kind: 'multiple', options: ['speed', 'kindness', 'result'] },
          { id: 'comment', text: 'Anything else?', kind: 'text' },
        ],
      },
    });
    expect(survey.statusCode).toBe(201);
    surveyId = survey.json().id;
  });
  afterAll(async () => {
    await api.close();
  });
  const as = (apiKey: string, options: InjectOptions) =>
    api.app.inject({ ...options, headers: { 'x-api-key': apiKey, ...options.headers } });

  async function invitation(over: { expiresAt?: string } = {}): Promise<string> {
    const id = `SI-${randomUUID().slice(0, 8)}`;
    await api.engine.orm.em
      .fork()
      .execute(
        `insert into survey_invitations (id, survey_id, customer_id, email, trigger_ref, expires_at) values (?, ?, ?, ?, ?, ?::timestamptz)`,
        [id, surveyId, customerId, `${id}@example.test`, `ticket:${id}`, over.expiresAt ?? null],
      );
    return id;
  }

  it('opens a ticket, finding its contact by phone; reopen without a running process is a 409', async () => {
    await api.call('rep', {
      method: 'POST',
      url: `/api/v1/customers/${customerId}/contacts`,
      payload: { name: 'Li Lei', phone: '+86 138 0013 8001' },
    });
    const opened = await as(SUPPORT_KEY, {
      method: 'POST',
      url: '/api/v1/tickets',
      payload: {
        contactPhone: '13800138001',
        subject: 'Router down',
        body: 'No light',
        priority: 'high',
        category: 'technical',
      },
    });
    expect(opened.statusCode).toBe(201);
    const ticket = opened.json().ticket;
    expect(ticket).toMatchObject({ customerId, status: 'open', priority: 'high', category: 'technical' });
    expect(ticket.id).toMatch(/^T-/);
    expect(ticket.contactId).not.toBeNull();
    const listed = (await as(SUPPORT_KEY, { method: 'GET', url: `/api/v1/tickets?customerId=${customerId}` })).json();
    expect(listed.items.map((t: { id: string }) => t.id)).toContain(ticket.id);

    // A ticket no process works on (written directly, so no ticket.opened starts a bound template).
    const idleTicket = `T-IDLE-${randomUUID().slice(0, 8)}`;
    await api.engine.orm.em
      .fork()
      .execute(`insert into tickets (id, customer_id, subject) values (?, ?, 'idle')`, [idleTicket, customerId]);
    // Open: nothing to reopen yet.
    const early = await as(SUPPORT_KEY, { method: 'POST', url: `/api/v1/tickets/${idleTicket}/reopen`, payload: {} });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({
      type: 'https://crm-engine.dev/problems/event-not-allowed',
      recordStatus: 'open',
    });
    await api.engine.orm.em.fork().execute(`update tickets set status = 'resolved' where id = ?`, [idleTicket]);
    const reopen = await as(SUPPORT_KEY, {
      method: 'POST',
      url: `/api/v1/tickets/${idleTicket}/reopen`,
      payload: { reason: 'still broken' },
    });
    expect(reopen.statusCode).toBe(409);
    expect(reopen.json().type).toBe('https://crm-engine.dev/problems/no-running-process');
    expect((await as(SUPPORT_KEY, { method: 'POST', url: '/api/v1/tickets/T-NOPE/confirm' })).statusCode).toBe(404);

    const bad = await as(SUPPORT_KEY, {
      method: 'POST',
      url: '/api/v1/tickets',
      payload: { contactEmail: 'x@', contactPhone: '555', body: 'b', priority: 'asap' },
    });
    expect(bad.statusCode).toBe(400);
    expect((bad.json().errors as { path: string }[]).map((e) => e.path)).toEqual(
      expect.arrayContaining(['/body/subject', '/body/contactEmail', '/body/contactPhone', '/body/priority']),
    );
  });

  it('refuses a survey whose choice question has no options', async () => {
    const response = await api.call('admin', {
      method: 'POST',
      url: '/api/v1/surveys',
      payload: {
        name: 'Bad',
        questions: [
          { id: 'a', text: 'A?', kind: 'single' },
          { id: 'a', text: 'B?', kind: 'rating' },
        ],
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual(
      expect.arrayContaining([
        { path: '/body/questions/0/options', message: expect.any(String) },
        { path: '/body/questions/1/id', message: expect.any(String) },
      ]),
    );
  });

  it('validates answers against the questions, stores one response and refuses a second', async () => {
    const id = await invitation();
    expect((await api.call('rep', { method: 'GET', url: `/api/v1/survey-invitations/${id}` })).statusCode).toBe(403);
    const shown = (await as(CUSTOMER_RELATIONS_KEY, { method: 'GET', url: `/api/v1/survey-invitations/${id}` })).json();
    expect(shown).toMatchObject({
      id,
      status: 'sent',
      survey: { id: surveyId, questions: expect.arrayContaining([expect.objectContaining({ id: 'overall' })]) },
    });

    const invalid = await api.call('admin', {
      method: 'POST',
      url: `/api/v1/survey-invitations/${id}/responses`,
      payload: { answers: { channel: 'fax', liked: ['speed', 'price'], extra: 'x' } },
    });
    expect(invalid.statusCode).toBe(400);
    expect((invalid.json().errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
      '/body/answers/channel',
      '/body/answers/extra',
      '/body/answers/liked',
      '/body/answers/overall',
    ]);

    const answered = await api.call('admin', {
      method: 'POST',
      url: `/api/v1/survey-invitations/${id}/responses`,
      payload: { answers: { overall: 4, channel: 'phone', liked: ['speed'], comment: 'fine' } },
    });
    expect(answered.statusCode).toBe(201);
    expect(answered.json()).toMatchObject({ invitationId: id, score: 4, processNotified: false });
    // The survey_answers projection the reports read: the rating and text questions answered, with the response.
    expect(
      await api.engine.orm.em.fork().execute(
        `select question_id, survey_id, customer_id, rating::float8 as rating, answer_text,
                responded_at = (select created_at from survey_responses where id = response_id) as at_response
           from survey_answers where response_id = ? order by question_id`,
        [answered.json().id],
      ),
    ).toEqual([
      {
        question_id: 'comment',
        survey_id: surveyId,
        customer_id: customerId,
        rating: null,
        answer_text: 'fine',
        at_response: true,
      },
      {
        question_id: 'overall',
        survey_id: surveyId,
        customer_id: customerId,
        rating: 4,
        answer_text: null,
        at_response: true,
      },
    ]);
    const again = await api.call('admin', {
      method: 'POST',
      url: `/api/v1/survey-invitations/${id}/responses`,
      payload: { answers: { overall: 1 } },
    });
    expect(again.statusCode).toBe(409);
    const listed = (
      await as(CUSTOMER_RELATIONS_KEY, {
        method: 'GET',
        url: `/api/v1/survey-invitations?customerId=${customerId}&status=responded`,
      })
    ).json();
    expect(listed.items.map((i: { id: string }) => i.id)).toEqual([id]);
  });

  it('answers 410 for an expired invitation', async () => {
    const id = await invitation({ expiresAt: new Date(Date.now() - 60_000).toISOString() });
    const response = await api.call('admin', {
      method: 'POST',
      url: `/api/v1/survey-invitations/${id}/responses`,
      payload: { answers: { overall: 5 } },
    });
    expect(response.statusCode).toBe(410);
    expect(response.json().type).toBe('https://crm-engine.dev/problems/survey-invitation-expired');
  });
});
