import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { SendMailResult } from '../../../activities/mail';
import { bindActivities } from '../../../activities/activity-definition';
import { mailActivities } from '../../../activities/mail';
import { openOrm, type Orm } from '../../../db/orm';
import { MailOutbox } from '../../../db/entities';
import { createMailTransport } from '../../../runtime/mailer';
import { findFreePort } from '../../../runtime/port-check';
import { listMail } from '../../support/mailbox';
import { testServers } from '../../support/test-env';

/** The outbox against the real PostgreSQL and SMTP sink: retries never send twice. */
describe('mail.send', () => {
  let orm: Orm;
  const logger = pino({ level: 'silent' });
  beforeAll(async () => {
    orm = await openOrm(testServers().databaseUrl, { poolMax: 4 });
  });
  afterAll(async () => {
    await orm.close();
  });

  const mailTo = async (recipient: string) => (await listMail()).filter((m) => m.to.includes(recipient));

  it('sends once however often the same send is retried, even concurrently', async () => {
    const mailer = createMailTransport(testServers().smtpUrl);
    const send = bindActivities(mailActivities, { orm, mailer, mailFrom: 'outbox@engine.test', logger })['mail.send'];
    const recipient = `dup+${randomUUID().slice(0, 8)}@example.test`;
    const params = { to: recipient, subject: 'Once only', text: 'body', idempotencyKey: `key-${randomUUID()}` };
    const env = new MockActivityEnvironment();
    const attempt = () => env.run(send, params) as Promise<SendMailResult>;
    const results = await Promise.all([attempt(), attempt(), attempt()]);
    const again = await attempt();
    mailer.close();

    expect(results.filter((r) => !r.alreadySent)).toHaveLength(1);
    expect(again.alreadySent).toBe(true);
    expect(new Set([...results, again].map((r) => r.outboxId)).size).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await mailTo(recipient)).toHaveLength(1);
  });

  it('records a failed attempt and sends on the retry once SMTP answers', async () => {
    const recipient = `retry+${randomUUID().slice(0, 8)}@example.test`;
    const params = { to: recipient, subject: 'After an outage', text: 'body', idempotencyKey: `key-${randomUUID()}` };
    const env = new MockActivityEnvironment();
    const deadMailer = createMailTransport(`smtp://127.0.0.1:${await findFreePort()}`);
    const down = bindActivities(mailActivities, { orm, mailer: deadMailer, mailFrom: 'outbox@engine.test', logger })[
      'mail.send'
    ];
    await expect(env.run(down, params)).rejects.toThrow(/ECONNREFUSED/);
    deadMailer.close();
    const failed = await orm.em.fork().findOneOrFail(MailOutbox, { idempotencyKey: params.idempotencyKey });
    expect(failed).toMatchObject({ status: 'pending', attempts: 1 });
    expect(failed.lastError).toMatch(/ECONNREFUSED/);

    const mailer = createMailTransport(testServers().smtpUrl);
    const up = bindActivities(mailActivities, { orm, mailer, mailFrom: 'outbox@engine.test', logger })['mail.send'];
    const sent = await env.run(up, params);
    mailer.close();
    expect(sent).toMatchObject({ outboxId: failed.id, alreadySent: false });
    const row = await orm.em.fork().findOneOrFail(MailOutbox, { id: failed.id });
    expect(row).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    expect(await mailTo(recipient)).toHaveLength(1);
  });

  it('rejects a recipient that is not an e-mail address without retrying', async () => {
    const mailer = createMailTransport(testServers().smtpUrl);
    const send = bindActivities(mailActivities, { orm, mailer, mailFrom: 'outbox@engine.test', logger })['mail.send'];
    await expect(
      new MockActivityEnvironment().run(send, { to: 'not-an-address', subject: 's', text: 't' }),
    ).rejects.toMatchObject({ type: 'mail.invalid-recipient', nonRetryable: true });
    mailer.close();
  });
});
