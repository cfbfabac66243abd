import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { SendTemplateMailResult } from '../../../../activities/mail-templates/activities';
import { createActivities } from '../../../../activities';
import { openOrm, type Orm } from '../../../../db/orm';
import { createMailTransport } from '../../../../runtime/mailer';
import { listMail, waitForMail } from '../../../support/mailbox';
import { testServers } from '../../../support/test-env';

/** Template mail through the registry, the outbox, real PostgreSQL and the SMTP sink. */
describe('mail.sendTemplate', () => {
  let orm: Orm;
  const logger = pino({ level: 'silent' });
  beforeAll(async () => {
    orm = await openOrm(testServers().databaseUrl, { poolMax: 4 });
  });
  afterAll(async () => {
    await orm.close();
  });

  const data = {
    customerName: '上海示例贸易有限公司',
    ticketSubject: '无法打印发票',
    ticketNumber: 'T-501',
    responseDue: '2025-07-01 18:00',
    ticketUrl: 'https://crm.example/tickets/501',
  };

  it('delivers a zh-CN mail with its Chinese subject intact, once however often it is retried', async () => {
    const mailer = createMailTransport(testServers().smtpUrl);
    const send = createActivities({ orm, mailer, mailFrom: 'outbox@engine.test', logger })['mail.sendTemplate'];
    const recipient = `zh+${randomUUID().slice(0, 8)}@example.test`;
    const params = {
      to: recipient,
      template: 'ticket-received',
      locale: 'zh',
      data,
      idempotencyKey: `tpl-${randomUUID()}`,
    };
    const env = new MockActivityEnvironment();
    const first = (await env.run(send, params)) as SendTemplateMailResult;
    const retry = (await env.run(send, params)) as SendTemplateMailResult;
    mailer.close();

    expect(first).toMatchObject({ locale: 'zh-CN', alreadySent: false });
    expect(retry).toMatchObject({
      locale: 'zh-CN',
      alreadySent: true,
      outboxId: first.outboxId,
      messageId: first.messageId,
    });
    const mail = await waitForMail((m) => m.to.includes(recipient));
    expect(mail.subject).toBe('我们已收到您的服务请求 [T-501]');
    expect(mail.text).toContain('尊敬的 上海示例贸易有限公司：');
    expect(mail.text).toContain('“无法打印发票”已受理');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await listMail()).filter((m) => m.to.includes(recipient))).toHaveLength(1);
  });

  it('sends the English version for an unknown locale, with HTML when the template has it', async () => {
    const mailer = createMailTransport(testServers().smtpUrl);
    const send = createActivities({ orm, mailer, mailFrom: 'outbox@engine.test', logger })['mail.sendTemplate'];
    const recipient = `en+${randomUUID().slice(0, 8)}@example.test`;
    const result = (await new MockActivityEnvironment().run(send, {
      to: recipient,
      template: 'survey-reminder',
      locale: 'fr-FR',
      data: {
        customerName: 'Acme <Trading>',
        surveyTitle: 'Service satisfaction',
        surveyUrl: 'https://crm.example/s/abc',
        expiresOn: '2025-07-20',
      },
    })) as SendTemplateMailResult;
    mailer.close();
    expect(result.locale).toBe('en');
    const mail = await waitForMail((m) => m.to.includes(recipient));
    expect(mail.subject).toBe('Reminder: Service satisfaction');
    expect(mail.text).toContain('Dear Acme <Trading>,');
  });

  it('fails without retrying on an unknown template or missing data, and sends nothing', async () => {
    const mailer = createMailTransport(testServers().smtpUrl);
    const send = createActivities({ orm, mailer, mailFrom: 'outbox@engine.test', logger })['mail.sendTemplate'];
    const recipient = `bad+${randomUUID().slice(0, 8)}@example.test`;
    const env = new MockActivityEnvironment();
    await expect(env.run(send, { to: recipient, template: 'no-such-mail', data: {} })).rejects.toMatchObject({
      type: 'mail.unknown-template',
      nonRetryable: true,
    });
    const { ticketUrl: _url, ...partial } = data;
    await expect(
      env.run(send, {
        to: recipient,
        template: 'ticket-received',
        locale: 'zh-CN',
        data: { ...partial, customerName: null },
      }),
    ).rejects.toMatchObject({
      type: 'mail.missing-data',
      nonRetryable: true,
      message: expect.stringMatching(/customerName, ticketUrl/),
      details: [{ missing: ['customerName', 'ticketUrl'] }],
    });
    mailer.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await listMail()).filter((m) => m.to.includes(recipient))).toHaveLength(0);
  });
});
