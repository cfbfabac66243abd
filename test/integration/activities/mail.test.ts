import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Transporter } from 'nodemailer';
import type { SendMailResult } from '../../../activities/mail';
import { bindActivities } from '../../../activities/activity-definition';
import { MAIL_SENDING_LEASE_MS, mailActivities } from '../../../activities/mail';
import { openOrm, type Orm } from '../../../db/orm';
import { MailOutbox } from '../../../db/entities';
import { createMailTransport } from '../../../runtime/mailer';
import { findFreePort } from '../../../runtime/port-check';
import { eventually } from '../../support/eventually';
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

  it('leaves a trace of a worker dying between SMTP acceptance and the outbox update: the resend is counted and flagged, with the same Message-ID', async () => {
    const recipient = `crash+${randomUUID().slice(0, 8)}@example.test`;
    const params = { to: recipient, subject: 'Cut off', text: 'body', idempotencyKey: `key-${randomUUID()}` };
    const env = new MockActivityEnvironment();
    const smtp = createMailTransport(testServers().smtpUrl);
    // The SMTP server stores the mail, then the worker "dies": its attempt never gets further.
    const dyingMailer = {
      sendMail: async (mail: Parameters<Transporter['sendMail']>[0]) => {
        await smtp.sendMail(mail);
        return new Promise<never>(() => undefined);
      },
    } as unknown as Transporter;
    const dying = bindActivities(mailActivities, { orm, mailer: dyingMailer, mailFrom: 'outbox@engine.test', logger })[
      'mail.send'
    ];
    void env.run(dying, params);
    const first = await eventually(async () => (await mailTo(recipient))[0], { description: 'the first copy' });

    // What the dead attempt committed before the hand-off is all there is.
    const cut = await orm.em.fork().findOneOrFail(MailOutbox, { idempotencyKey: params.idempotencyKey });
    expect(cut).toMatchObject({ status: 'sending', attempts: 1, possibleDuplicate: false, sentAt: null });
    expect(cut.sendingUntil!.getTime()).toBeGreaterThan(Date.now());
    expect(first.messageId).toBe(cut.messageId);

    // Within the lease the attempt may still be alive: another one waits, then leaves it to Temporal.
    const early = bindActivities(mailActivities, { orm, mailer: smtp, mailFrom: 'outbox@engine.test', logger })[
      'mail.send'
    ];
    await expect(env.run(early, params)).rejects.toMatchObject({ type: 'mail.send-in-progress', nonRetryable: false });
    expect(await orm.em.fork().findOneOrFail(MailOutbox, { id: cut.id })).toMatchObject({
      status: 'sending',
      attempts: 1,
    });

    // Temporal retries once the attempt timed out; by then its lease is over too.
    const later = () => new Date(Date.now() + MAIL_SENDING_LEASE_MS + 1_000);
    const warnings: string[] = [];
    const retryLogger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
    const retry = bindActivities(mailActivities, {
      orm,
      mailer: smtp,
      mailFrom: 'outbox@engine.test',
      logger: retryLogger,
      now: later,
    })['mail.send'];
    const resent = (await env.run(retry, params)) as SendMailResult;
    expect(resent).toEqual({ outboxId: cut.id, messageId: cut.messageId, alreadySent: false });
    const row = await orm.em.fork().findOneOrFail(MailOutbox, { id: cut.id });
    expect(row).toMatchObject({ status: 'sent', attempts: 2, possibleDuplicate: true, sendingUntil: null });
    expect(warnings.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ outboxId: cut.id, messageId: cut.messageId, attempt: 2 }),
    ]);

    // A further retry sends nothing; the recipient holds two copies a client can dedupe.
    expect(await env.run(retry, params)).toMatchObject({ alreadySent: true });
    smtp.close();
    const copies = await eventually(
      async () => {
        const all = await mailTo(recipient);
        return all.length === 2 ? all : undefined;
      },
      { description: 'the resent copy' },
    );
    expect(copies.map((m) => m.messageId)).toEqual([cut.messageId, cut.messageId]);
    expect(await mailTo(recipient)).toHaveLength(2);
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
