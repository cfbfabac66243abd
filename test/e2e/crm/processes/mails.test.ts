import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { StoredMessage } from '../../../../runtime/smtp-sink/message-store';
import { startCrmHarness, type CrmHarness } from '../../../support/crm-harness';
import {
  ADMIN_KEY,
  complete,
  createCustomer,
  createProduct,
  createUser,
  createWarehouse,
  json,
  uniqueSuffix,
  until,
} from './crm-fixtures';
import { postOrder, postQuote, waitForInbox, waitForStatus } from './sales-process-fixtures';
import {
  answersFor,
  closeTicketThroughApi,
  createSurvey,
  getInvitation,
  invitationsOf,
  waitForMails,
} from './service-process-fixtures';

/**
 * What people read, as they receive it from the SMTP sink: names instead of user ids, and mails
 * to Chinese readers in Chinese throughout. Time-skipping, so a reminder due in 8 hours comes now.
 */
describe('mails and texts people receive (built-in templates, time-skipping)', () => {
  let h: CrmHarness;
  beforeAll(async () => {
    h = await startCrmHarness({ timeSkipping: true });
    await createSurvey(h);
  });
  afterAll(async () => {
    await h.close();
  });

  /**
   * The Latin words left in a mail once links, the data it quotes (names, ids, which the test
   * chose in English) and numbers are taken out: none for a Chinese mail.
   */
  function latinWords(text: string, quoted: readonly string[]): string[] {
    let rest = text.replace(/https?:\/\/\S+/g, ' ');
    for (const value of [...quoted].sort((a, b) => b.length - a.length)) rest = rest.split(value).join(' ');
    return rest.match(/[A-Za-z]{2,}/g) ?? [];
  }
  const bodyOf = (mail: StoredMessage) => `${mail.subject}\n${mail.text}\n${mail.html ?? ''}`;

  async function quoteTeam(locale: 'en' | 'zh-CN') {
    const rep = await createUser(h, { roles: ['sales-rep'], locale });
    const manager = await createUser(h, { roles: ['sales-manager'], locale });
    const warehouse = await createWarehouse(h);
    const customer = await createCustomer(h, { discountRate: 0.18, ownerId: rep.id });
    const product = await createProduct(h, {
      listPriceCents: 100_000,
      stock: [{ warehouseId: warehouse.id, onHand: 100 }],
    });
    return { rep, manager, customer, product };
  }

  it("names the approver by name in the quote-decided mail, in the owner's language", async () => {
    const { rep, manager, customer, product } = await quoteTeam('en');
    const { quote, instanceId } = await postQuote(h, rep.apiKey, {
      customerId: customer.id,
      lines: [{ productId: product.id, quantity: 10 }],
    });
    const [task] = await waitForInbox(h, manager, instanceId);
    json(await complete(h, manager.apiKey, task!.id, 'approve', { reason: 'fine' }), 200);
    await waitForStatus(h, instanceId, 'completed');
    const [mail] = await waitForMails(rep.email, `quote-decided:${quote.id}`);
    expect(mail!.subject).toBe(`Quote ${quote.id} approved`);
    expect(mail!.text).toContain(`Test ${manager.id} has approved quote ${quote.id}`);

    const zh = await quoteTeam('zh-CN');
    const second = await postQuote(h, zh.rep.apiKey, {
      customerId: zh.customer.id,
      lines: [{ productId: zh.product.id, quantity: 10 }],
    });
    const [zhTask] = await waitForInbox(h, zh.manager, second.instanceId);
    json(await complete(h, zh.manager.apiKey, zhTask!.id, 'reject', { reason: '利润太低' }), 200);
    await waitForStatus(h, second.instanceId, 'completed');
    const [rejected] = await waitForMails(zh.rep.email, `quote-decided:${second.quote.id}`);
    expect(rejected!.subject).toBe(`报价 ${second.quote.id} 未通过审批`);
    expect(rejected!.text).toContain(`Test ${zh.manager.id} 已驳回`);
    expect(
      latinWords(bodyOf(rejected!), [`Test ${zh.rep.id}`, `Test ${zh.manager.id}`, zh.customer.name, second.quote.id]),
    ).toEqual([]);
  });

  it('says who approved a quote no one had to approve, in Chinese for a Chinese owner', async () => {
    const rep = await createUser(h, { roles: ['sales-rep'], locale: 'zh-CN' });
    const customer = await createCustomer(h, { ownerId: rep.id });
    const product = await createProduct(h, { listPriceCents: 1_000 });
    const { quote, instanceId } = await postQuote(h, rep.apiKey, {
      customerId: customer.id,
      lines: [{ productId: product.id, quantity: 1 }],
    });
    await waitForStatus(h, instanceId, 'completed');
    const [mail] = await waitForMails(rep.email, `quote-decided:${quote.id}`);
    expect(mail!.subject).toBe(`报价 ${quote.id} 已通过审批`);
    expect(latinWords(bodyOf(mail!), [`Test ${rep.id}`, customer.name, quote.id])).toEqual([]);
  });

  it("confirms a Chinese customer's order in Chinese throughout", async () => {
    const rep = await createUser(h, { roles: ['sales-rep'] });
    const warehouse = await createWarehouse(h);
    const customer = await createCustomer(h, { locale: 'zh-CN', ownerId: rep.id });
    const product = await createProduct(h, {
      listPriceCents: 1_250,
      stock: [{ warehouseId: warehouse.id, onHand: 10 }],
    });
    const { order } = await postOrder(h, rep.apiKey, {
      customerId: customer.id,
      lines: [{ productId: product.id, quantity: 2 }],
    });
    const [mail] = await waitForMails(customer.email, `order-confirmed:${order.id}`);
    expect(mail!.subject).toBe(`订单 ${order.id} 已确认`);
    expect(mail!.text).toContain(`Product ${product.id} × 2`);
    expect(latinWords(bodyOf(mail!), [customer.name, order.id, `Product ${product.id}`])).toEqual([]);
  });

  it("writes the follow-up ticket of a low survey score in the customer's language", async () => {
    const customer = await createCustomer(h, { locale: 'zh-CN' });
    const ticketId = await closeTicketThroughApi(h, customer.id);
    await waitForMails(customer.email, 'survey-invitation:');
    const [listed] = await until(async () => {
      const found = await invitationsOf(h, customer.id);
      expect(found.filter((i) => i.triggerRef === `ticket:${ticketId}`)).toHaveLength(1);
      return found;
    });
    const invitation = await getInvitation(h, listed!.id);
    json(
      await h.call(ADMIN_KEY, {
        method: 'POST',
        url: `/api/v1/survey-invitations/${encodeURIComponent(invitation.id)}/responses`,
        payload: {
          answers: answersFor(invitation.survey.questions, {
            ratings: { overall: 1, speed: 1 },
            fallbackRating: 1,
            comment: '太慢了',
          }),
        },
      }),
      201,
    );
    const [ticket] = await until(async () => {
      const rows = await h.sql<{ subject: string; body: string }>('select subject, body from tickets where id = ?', [
        `T-FU-${invitation.id}`,
      ]);
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(ticket!.subject).toContain('满意度');
    // The survey's name and its questions are data the test wrote in English; the rest is Chinese.
    const quoted = [
      invitation.survey.name,
      ...invitation.survey.questions.map((q) => (q as { text?: string }).text ?? q.id),
      invitation.id,
      customer.email,
    ];
    expect(latinWords(`${ticket!.subject}\n${ticket!.body}`, quoted)).toEqual([]);
  });

  it('tells an English rep who the lead went to by name and a Chinese rep in Chinese, never by user id', async () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      const region = `r-${uniqueSuffix()}`;
      const rep = await createUser(h, { roles: ['sales-rep'], region, productLines: ['erp'], capacity: 10, locale });
      const created = json<{ lead: { id: string } }>(
        await h.call(ADMIN_KEY, {
          method: 'POST',
          url: '/api/v1/leads',
          payload: {
            source: 'web',
            company: `Mail Co ${region}`,
            contactName: 'Li Lei',
            region,
            productInterest: 'erp',
          },
        }),
        201,
      );
      const [mail] = await waitForMails(rep.email, 'task/lead-assignment');
      expect(mail!.text).toContain(`Test ${rep.id}`);
      expect(mail!.text.split(`Test ${rep.id}`).join('')).not.toContain(rep.id);
      if (locale === 'zh-CN') {
        const quoted = [`Test ${rep.id}`, `Mail Co ${region}`, 'Li Lei', created.lead.id, 'lead-assignment', 'erp'];
        expect(latinWords(bodyOf(mail!), quoted)).toEqual([]);
      }
    }
  });

  it('reminds a Chinese approver in Chinese throughout', async () => {
    const { rep, manager, customer, product } = await quoteTeam('zh-CN');
    const { quote, instanceId } = await postQuote(h, rep.apiKey, {
      customerId: customer.id,
      lines: [{ productId: product.id, quantity: 10 }],
    });
    const [task] = await waitForInbox(h, manager, instanceId);
    await h.env!.sleep('8 hours');
    const [reminder] = await waitForMails(manager.email, `task/${task!.id}/reminded:1/`);
    expect(reminder!.subject).toContain('任务提醒');
    // The level is named by its policy's zh-CN title; the process is still named by its key.
    expect(bodyOf(reminder!)).toContain('销售经理');
    const quoted = [customer.name, `Test ${manager.id}`, quote.id, 'quote-approval'];
    expect(latinWords(bodyOf(reminder!), quoted)).toEqual([]);
  });
});
