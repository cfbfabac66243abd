import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LightMyRequestResponse } from 'fastify';
import { ACTIVITY_CATALOG } from '../../../activities';
import { buildApp } from '../../../api/app';
import { signLink } from '../../../db/links';
import { startCrmHarness, type CrmHarness } from '../../support/crm-harness';
import { TEST_AUTH, TEST_AUTH_SECRET } from '../../support/test-auth';
import { createCustomer, createProduct, createUser, createWarehouse, json, until } from '../crm/processes/crm-fixtures';
import {
  answersFor,
  createSurvey,
  getTicket,
  resolveTicketThroughTasks,
  openTicket,
  untilStepStarted,
  waitForMails,
} from '../crm/processes/service-process-fixtures';
import { createSalesTeam, postOrder, postQuote, waitForInbox } from '../crm/processes/sales-process-fixtures';

const PROBLEMS = 'https://crm-engine.dev/problems/';

/** The signed links a mail carries (`<PUBLIC_URL>/l/<token>`), in the order they appear. */
function linksIn(text: string): string[] {
  return [...text.matchAll(/https:\/\/crm\.test\/l\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/g)].map((m) => m[1]!);
}

/**
 * The link of a task mail that gives `outcome`. The mail names outcomes by their labels in the
 * reader's language, so the link is found by what it signs (its payload is readable, only signed).
 */
function actionLink(text: string, outcome: string): string {
  const token = linksIn(text).find((candidate) => {
    const payload = JSON.parse(Buffer.from(candidate.split('.')[0] ?? '', 'base64url').toString()) as { a?: string };
    return payload.a === outcome;
  });
  if (!token) throw new Error(`no ${outcome} link in:\n${text}`);
  return token;
}

/**
 * The links in mails, through HTTP as the web app's /l/<token> page calls them, against the real
 * built-in processes and the SMTP sink: task outcomes in one click as the mail's recipient, and the
 * customer's survey, ticket and order pages.
 */
describe('links in mails (GET/POST /api/v1/links/:token)', () => {
  let h: CrmHarness;
  const get = (token: string) => h.app.inject({ method: 'GET', url: `/api/v1/links/${token}` });
  const post = (token: string, payload: Record<string, unknown> = {}) =>
    h.app.inject({ method: 'POST', url: `/api/v1/links/${token}`, payload });
  const expectProblem = (response: LightMyRequestResponse, status: number, type: string) => {
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.json()).toMatchObject({ status, type: PROBLEMS + type });
    return response.json() as Record<string, unknown>;
  };

  beforeAll(async () => {
    h = await startCrmHarness();
    await createSurvey(h);
  });
  afterAll(async () => {
    await h.close();
  });

  it('decides a task from its mail as the recipient, once; a second approver hears who was first', async () => {
    const team = await createSalesTeam(h);
    const second = await createUser(h, { roles: ['sales-manager'], locale: 'zh-CN' });
    const warehouse = await createWarehouse(h);
    const customer = await createCustomer(h, { discountRate: 0.18, ownerId: team.rep.id });
    const product = await createProduct(h, {
      listPriceCents: 100_000,
      stock: [{ warehouseId: warehouse.id, onHand: 100 }],
    });
    const { quote, instanceId } = await postQuote(h, team.rep.apiKey, {
      customerId: customer.id,
      lines: [{ productId: product.id, quantity: 10 }],
    });
    const [task] = await waitForInbox(h, team.manager, instanceId);

    const [mail] = await waitForMails(team.manager.email, `task/${task!.id}/opened/`);
    expect(mail!.subject).toBe(`New task: ${task!.title}`);
    expect(mail!.text).toContain(`https://crm.test/tasks/${encodeURIComponent(task!.id)}`);
    expect(linksIn(mail!.text)).toHaveLength(3); // approve, reject, sendBack: the reason is optional
    const [secondMail] = await waitForMails(second.email, `task/${task!.id}/opened/`);
    // Each reader in their own language: the template's zh-CN title for the second approver.
    const inChinese = await h.call(second.apiKey, {
      method: 'GET',
      url: `/api/v1/tasks/${encodeURIComponent(task!.id)}`,
      headers: { 'accept-language': 'zh-CN' },
    });
    const zhTitle = (inChinese.json() as { title: string }).title;
    expect(zhTitle).toMatch(/^审批报价/);
    expect(secondMail!.subject).toBe(`新任务：${zhTitle}`);

    const approve = actionLink(mail!.text, 'approve');
    const shown = json(await get(approve), 200);
    expect(shown).toMatchObject({
      kind: 'task-action',
      locale: 'en',
      used: false,
      recipientName: `Test ${team.manager.id}`,
      task: { id: task!.id, outcome: 'approve', status: 'open', completedBy: null },
    });
    expect(Date.parse(shown.expiresAt as string)).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000);

    const done = json(await post(approve), 200);
    expect(done).toMatchObject({ used: true, task: { status: 'completed', closedOutcome: 'approve' } });
    const [row] = await h.sql<{ completed_by: string; outcome: string }>(
      'select completed_by, outcome from task where id = ?',
      [task!.id],
    );
    expect(row).toEqual({ completed_by: team.manager.id, outcome: 'approve' });
    const audit = await h.sql<{ actor: string; on_behalf_of: string; after: Record<string, unknown> }>(
      "select actor, on_behalf_of, after from audit_log where action = 'task.complete' and subject = ?",
      [`task:${task!.id}`],
    );
    expect(audit).toEqual([
      {
        actor: `user:${team.manager.id}`,
        on_behalf_of: `user:${team.manager.id}`,
        after: expect.objectContaining({ outcome: 'approve', via: 'mail-link' }),
      },
    ]);
    const used = await h.sql<{ actor: string }>(
      "select actor from audit_log where action = 'SignedLinkUse.create' and after->>'subject' = ?",
      [task!.id],
    );
    expect(used).toEqual([{ actor: `user:${team.manager.id}` }]);

    expectProblem(await post(approve), 410, 'link-used');
    expect(json(await get(approve), 200)).toMatchObject({
      used: true,
      task: { completedBy: `Test ${team.manager.id}` },
    });
    const late = expectProblem(await post(actionLink(secondMail!.text, 'reject')), 409, 'task-closed');
    expect(late).toMatchObject({ completedBy: `Test ${team.manager.id}`, completedAt: expect.any(String) });
    await until(async () =>
      expect((await h.sql('select id from orders where quote_id = ?', [quote.id])).length).toBe(1),
    );
  });

  it('refuses forged, mangled and expired tokens without telling which is which, and links of the wrong kind', async () => {
    const forged = signLink('x'.repeat(40), {
      kind: 'order',
      subject: 'O-1',
      action: null,
      recipient: 'C-1',
      locale: 'en',
      expiresAt: new Date(Date.now() + 3600_000),
    });
    expectProblem(await get(forged), 404, 'link-not-found');
    expectProblem(await post('not-a-token'), 404, 'link-not-found');
    const expired = signLink(TEST_AUTH_SECRET, {
      kind: 'ticket',
      subject: 'T-1',
      action: null,
      recipient: 'C-1',
      locale: 'zh-CN',
      expiresAt: new Date(Date.now() - 1000),
    });
    expect(expectProblem(await get(expired), 410, 'link-expired')).toMatchObject({ kind: 'ticket', locale: 'zh-CN' });
    // Signed by us, but for a record that is not the recipient's: not found either.
    const strange = signLink(TEST_AUTH_SECRET, {
      kind: 'order',
      subject: 'O-NOPE',
      action: null,
      recipient: 'C-1',
      locale: 'en',
      expiresAt: new Date(Date.now() + 3600_000),
    });
    expectProblem(await get(strange), 404, 'link-not-found');
  });

  it("shows the customer's order from the confirmation mail: status, products, shipments, and no prices", async () => {
    const team = await createSalesTeam(h);
    const warehouse = await createWarehouse(h);
    const customer = await createCustomer(h, { ownerId: team.rep.id, locale: 'zh-CN' });
    const product = await createProduct(h, {
      listPriceCents: 12_345,
      stock: [{ warehouseId: warehouse.id, onHand: 50 }],
    });
    const { order } = await postOrder(h, team.rep.apiKey, {
      customerId: customer.id,
      lines: [{ productId: product.id, quantity: 3 }],
    });
    const [mail] = await waitForMails(customer.email, `order-confirmed:${order.id}`);
    const [token] = linksIn(mail!.text);
    expect(mail!.text).not.toContain('/api/v1/orders/');

    const shown = await until(async () => {
      const body = json<{ order: { shipments: unknown[] } }>(await get(token!), 200);
      expect(body.order.shipments).toHaveLength(1);
      return body;
    });
    expect(shown).toMatchObject({
      kind: 'order',
      locale: 'zh-CN',
      used: false,
      order: {
        id: order.id,
        lines: [{ product: `Product ${product.id}`, quantity: 3, shippedQuantity: expect.any(Number) }],
        shipments: [{ status: expect.any(String), lines: [{ product: `Product ${product.id}`, quantity: 3 }] }],
      },
    });
    const text = JSON.stringify(shown);
    expect(text).not.toMatch(/Cents|12345|123\.45|warehouse|WH-|owner|customerId/i);
    expectProblem(await post(token!), 405, 'link-read-only');
  });

  it('lets the customer confirm a resolved ticket from the mail, once, then answer the survey that follows', async () => {
    const customer = await createCustomer(h, { locale: 'en' });
    const { ticketId, instanceId } = await openTicket(h, {
      customerId: customer.id,
      subject: 'Invoice address',
      body: 'Please print our new address on invoices.',
    });
    const [received] = await waitForMails(customer.email, `ticket-received:${ticketId}`);
    const [followToken] = linksIn(received!.text);
    expect(json(await get(followToken!), 200)).toMatchObject({
      kind: 'ticket',
      ticket: { id: ticketId, subject: 'Invoice address' },
      mayConfirm: false,
      mayReopen: false,
    });
    expectProblem(await post(followToken!, { action: 'confirm' }), 409, 'ticket-not-resolved');

    await resolveTicketThroughTasks(h, instanceId, 'Address updated.');
    const [resolved] = await waitForMails(customer.email, `ticket-resolved:${ticketId}`);
    const [confirmToken] = linksIn(resolved!.text);
    await untilStepStarted(h, instanceId, 'confirmEvent');
    expect(json(await get(confirmToken!), 200)).toMatchObject({
      ticket: { status: 'resolved', resolution: 'Address updated.' },
      mayConfirm: true,
      mayReopen: true,
    });
    expectProblem(await post(confirmToken!, {}), 400, 'validation');
    expect(json(await post(confirmToken!, { action: 'confirm' }), 200)).toMatchObject({ used: true });
    expectProblem(await post(confirmToken!, { action: 'reopen' }), 410, 'link-used');
    await until(async () => expect((await getTicket(h, ticketId)).status).toBe('closed'));
    // The earlier link of the same ticket is a link of its own, but nothing waits for the customer now.
    expectProblem(await post(followToken!, { action: 'reopen' }), 409, 'ticket-not-resolved');

    const [invitation] = await waitForMails(customer.email, 'survey-invitation:');
    const [surveyToken] = linksIn(invitation!.text);
    const survey = json<{ survey: { questions: Parameters<typeof answersFor>[0] } }>(await get(surveyToken!), 200);
    expect(survey).toMatchObject({ kind: 'survey', customerName: customer.name, answered: false, used: false });
    expectProblem(await post(surveyToken!, { answers: {} }), 400, 'validation');
    const answers = answersFor(survey.survey.questions, { fallbackRating: 5, comment: 'Quick and friendly.' });
    expect(json(await post(surveyToken!, { answers }), 200)).toMatchObject({ answered: true, used: true });
    expectProblem(await post(surveyToken!, { answers }), 410, 'link-used');
  });

  it('counts unknown tokens as failed authentications of the IP: past the limit even a good link waits', async () => {
    const limited = await buildApp({
      readiness: { database: async () => {}, temporal: async () => {} },
      rateLimits: { perPrincipalPerMinute: 0, authFailuresPerIpPerMinute: 3, eventsPerRecordPerMinute: 0 },
      engine: {
        orm: h.orm,
        client: h.client,
        taskQueue: h.taskQueue,
        catalog: ACTIVITY_CATALOG,
        triggerPollMs: 0,
        auth: TEST_AUTH,
      },
    });
    try {
      const from = (remoteAddress: string, token: string) =>
        limited.inject({ method: 'GET', url: `/api/v1/links/${token}`, remoteAddress });
      const expired = signLink(TEST_AUTH_SECRET, {
        kind: 'order',
        subject: 'O-1',
        action: null,
        recipient: 'C-1',
        locale: 'en',
        expiresAt: new Date(Date.now() - 1000),
      });
      // An expired link is a real one: it costs nothing.
      for (let i = 0; i < 4; i++) expectProblem(await from('10.9.0.1', expired), 410, 'link-expired');
      for (let i = 0; i < 3; i++) expectProblem(await from('10.9.0.1', `guess-${i}`), 404, 'link-not-found');
      const refused = await from('10.9.0.1', expired);
      expectProblem(refused, 429, 'too-many-requests');
      expect(refused.headers['retry-after']).toBeDefined();
      expectProblem(await from('10.9.0.2', expired), 410, 'link-expired');
    } finally {
      await limited.close();
    }
  });
});
