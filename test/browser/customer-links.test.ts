import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import type { StoredMessage } from '../../runtime/smtp-sink/message-store';
import { watchApiCalls } from '../support/api-calls';
import { startBrowserHarness, type BrowserHarness } from '../support/browser';
import { CRM_PUBLIC_URL } from '../support/crm-harness';
import { waitForMail } from '../support/mailbox';
import {
  createCustomer,
  createProduct,
  createUser,
  createWarehouse,
  json,
  until,
} from '../e2e/crm/processes/crm-fixtures';
import { createSalesTeam, getOrder, postOrder, postQuote } from '../e2e/crm/processes/sales-process-fixtures';
import { getTicket, openTicket, resolveTicketThroughTasks } from '../e2e/crm/processes/service-process-fixtures';

/**
 * What customers (and staff, for a mail's outcome button) meet when they follow a link from a
 * mail: the link's page in the customer's language, at phone width first, and nothing else.
 */
describe('the pages behind mail links, in Chromium', () => {
  let web: BrowserHarness;
  beforeAll(async () => {
    web = await startBrowserHarness();
  }, 240_000);
  afterAll(async () => web?.close());

  /** The `/l/<token>` links of a mail (its text part), in order; the mail says https://crm.test, the test serves elsewhere. */
  function linkPaths(mail: StoredMessage): string[] {
    const prefix = CRM_PUBLIC_URL.replaceAll('.', '\\.');
    return [...mail.text.matchAll(new RegExp(`${prefix}(/l/[A-Za-z0-9_.~%-]+)`, 'g'))].map((m) => m[1]!);
  }

  const mailTo = (address: string, subject: (s: string) => boolean) =>
    waitForMail((m) => m.to.some((to) => to.toLowerCase().includes(address.toLowerCase())) && subject(m.subject), {
      timeoutMs: 30_000,
    });

  /** Opens a link's page and waits for what the link is for (not the loading skeleton). */
  async function openLink(page: Page, path: string, expectText: string | RegExp): Promise<void> {
    await page.goto(path);
    await page.getByText(expectText).first().waitFor({ timeout: 15_000 });
  }

  /** The page as it is, then in the other language by its own switch, as `<name>-<width>-<locale>`. */
  async function screenshotBothLanguages(page: Page, name: string, width: 390 | 1440, first: 'en' | 'zh-CN') {
    await web.screenshot(page, `${name}-${width}-${first}`);
    const other = first === 'en' ? 'zh-CN' : 'en';
    const calls = watchApiCalls(page);
    const label = other === 'en' ? 'English' : '中文';
    await page.getByText(label, { exact: true }).click();
    await page.locator(`html[lang="${other}"]`).waitFor({ state: 'attached' });
    // The switch fetches the link's texts again in the other language: they are back and drawn, and
    // the switch's sliding mark has come to rest on the language (antd marks it selected only then).
    await calls.settled((url) => url.pathname.startsWith('/api/v1/links/'));
    await page.locator('.ant-segmented-item-selected').filter({ hasText: label }).waitFor();
    await web.screenshot(page, `${name}-${width}-${other}`);
  }

  /** Every width and language of one link's page (a GET never uses a link up). */
  async function screenshotAll(name: string, path: string, expectText: string | RegExp, locale: 'en' | 'zh-CN') {
    for (const phone of [true, false]) {
      const page = await web.newPage({ locale, phone });
      await openLink(page, path, expectText);
      await screenshotBothLanguages(page, name, phone ? 390 : 1440, locale);
      await page.context().close();
    }
  }

  it('a customer follows the order from the confirmation mail, answers the survey mailed on delivery, and the link then says it was answered', async () => {
    const { crm } = web;
    const rep = await createUser(crm, { roles: ['sales-rep'] });
    const clerk = await createUser(crm, { roles: ['warehouse'] });
    const warehouse = await createWarehouse(crm);
    const customer = await createCustomer(crm, { ownerId: rep.id, locale: 'en' });
    const product = await createProduct(crm, {
      listPriceCents: 2_500,
      stock: [{ warehouseId: warehouse.id, onHand: 20 }],
    });
    const { order } = await postOrder(crm, rep.apiKey, {
      customerId: customer.id,
      lines: [{ productId: product.id, quantity: 3 }],
    });
    await until(async () => expect((await getOrder(crm, order.id)).status).toBe('shipped'));

    const confirmation = await mailTo(customer.email, (s) => s.includes(order.id));
    const [orderPath] = linkPaths(confirmation);
    expect(orderPath).toBeDefined();
    const page = await web.newPage({ phone: true });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await openLink(page, orderPath!, 'Your order is on its way');
    expect(await page.getByText(`Order ${order.id}`).count()).toBe(1);
    expect(await page.getByText('× 3').count()).toBeGreaterThan(0);
    expect(await page.getByText('Shipment 1').count()).toBe(1);
    // Nothing of the staff app is reachable from a customer's page.
    expect(await page.locator('a[href]').count()).toBe(0);
    await screenshotAll('link-order', orderPath!, 'Your order is on its way', 'en');

    json(
      await crm.call(clerk.apiKey, { method: 'POST', url: `/api/v1/orders/${order.id}/delivery-confirmation` }),
      202,
    );
    await until(async () => expect((await getOrder(crm, order.id)).status).toBe('delivered'));
    await openLink(page, orderPath!, 'Your order has been delivered');

    const invitation = await mailTo(customer.email, (s) => s.startsWith('How did we do?'));
    const [surveyPath] = linkPaths(invitation);
    expect(surveyPath).toBeDefined();
    await screenshotAll('link-survey', surveyPath!, 'Service satisfaction', 'en');

    await openLink(page, surveyPath!, 'Service satisfaction');
    // The required rating is checked before anything is sent.
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await page.getByText('Please answer this question.').waitFor();
    const questions = page.locator('.link-question');
    await questions.nth(0).locator('.ant-rate-star').nth(3).click();
    await questions.nth(1).locator('.ant-rate-star').nth(4).click();
    await questions.nth(2).locator('textarea').fill('Arrived on time, well packed.');
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await page.getByText('Thank you for your answers').waitFor();
    await web.screenshot(page, 'link-survey-thanks-390-en');

    const [stored] = await crm.sql<{ answers: Record<string, unknown> }>(
      `select r.answers from survey_responses r join survey_invitations i on i.id = r.invitation_id
        where i.customer_id = ?`,
      [customer.id],
    );
    expect(stored!.answers).toEqual({ overall: 4, speed: 5, comment: 'Arrived on time, well packed.' });

    await openLink(page, surveyPath!, 'You have already answered this survey');
    await web.screenshot(page, 'link-survey-answered-390-en');
    expect(problems).toEqual([]);
  });

  it('in Chinese: a customer confirms a resolved ticket from the mail, which closes it', async () => {
    const { crm } = web;
    const customer = await createCustomer(crm, { locale: 'zh-CN' });
    const { ticketId, instanceId } = await openTicket(crm, {
      customerId: customer.id,
      subject: '打印机打印二十页后停止',
      body: '办公室的打印机每打印约二十页就停止并显示错误 E-45。',
    });
    await resolveTicketThroughTasks(crm, instanceId, '已更换定影器并升级固件。');
    const resolved = await mailTo(customer.email, (s) => s.includes(ticketId));
    const ticketPath = linkPaths(resolved).at(-1);
    expect(ticketPath).toBeDefined();
    await screenshotAll('link-ticket', ticketPath!, '您的问题解决了吗？', 'zh-CN');

    const page = await web.newPage({ locale: 'zh-CN', phone: true });
    await openLink(page, ticketPath!, '您的问题解决了吗？');
    expect(await page.getByText('已更换定影器并升级固件。').count()).toBe(1);
    await page.getByRole('button', { name: '问题已解决' }).click();
    // The action's answer, awaited by itself: a refusal then fails here with its problem, and a
    // slow answer on a loaded machine (a CI run once waited past 30 s here) is not a missing text.
    const acted = page.waitForResponse(
      (response) =>
        response.request().method() === 'POST' && new URL(response.url()).pathname.startsWith('/api/v1/links/'),
      { timeout: 60_000 },
    );
    await page.locator('.ant-modal-confirm').getByRole('button', { name: '问题已解决' }).click();
    const answer = await acted;
    expect({ status: answer.status(), problem: answer.ok() ? null : await answer.text() }).toEqual({
      status: 200,
      problem: null,
    });
    await page.getByText('谢谢，您的工单已关闭').waitFor();
    await web.screenshot(page, 'link-ticket-confirmed-390-zh-CN');
    await until(async () => expect((await getTicket(crm, ticketId)).status).toBe('closed'));

    // The link acted once: it now shows the ticket, closed, with nothing left to answer.
    await openLink(page, ticketPath!, '已关闭');
    expect(await page.getByRole('button', { name: '问题已解决' }).count()).toBe(0);
  });

  it("a sales manager approves a quote from the mail's button after a confirmation page; the same link then says it was used", async () => {
    const { crm } = web;
    const team = await createSalesTeam(crm);
    const warehouse = await createWarehouse(crm);
    // An 18 % customer discount needs a sales manager's approval.
    const customer = await createCustomer(crm, { ownerId: team.rep.id, discountRate: 0.18 });
    const product = await createProduct(crm, {
      listPriceCents: 100_000,
      stock: [{ warehouseId: warehouse.id, onHand: 1000 }],
    });
    const { quote } = await postQuote(crm, team.rep.apiKey, {
      customerId: customer.id,
      lines: [{ productId: product.id, quantity: 10 }],
    });
    const taskMail = await mailTo(team.manager.email, (s) => s.includes(quote.id));
    const paths = linkPaths(taskMail);
    // One link per outcome that needs no form, in the template's order: approve, reject, send back.
    expect(paths.length).toBeGreaterThanOrEqual(2);
    const approvePath = paths[0]!;
    await screenshotAll('link-task-action', approvePath, /Confirm: |确认：/, 'en');

    const page = await web.newPage();
    await openLink(page, approvePath, /Confirm: /);
    expect(await page.getByText(quote.id).count()).toBeGreaterThan(0);
    await page.getByRole('textbox').fill('Fine for this customer.');
    await page.getByRole('button', { name: /^Confirm: / }).click();
    await page.getByText(/^Recorded: /).waitFor();
    await web.screenshot(page, 'link-task-action-done-1440-en');

    await openLink(page, approvePath, /already completed|already been used/);
    await web.screenshot(page, 'link-task-action-used-1440-en');
    expect(await page.locator('a[href^="/tasks/"]').count()).toBe(1);
  });

  it('a forged link says it is not valid, in the browser language, and offers nothing to follow', async () => {
    const page = await web.newPage({ locale: 'zh-CN', phone: true });
    await openLink(page, '/l/eyJrIjoic3VydmV5In0.forged', '此链接无效');
    expect(await page.locator('a[href]').count()).toBe(0);
    await web.screenshot(page, 'link-invalid-390-zh-CN');
  });
});
