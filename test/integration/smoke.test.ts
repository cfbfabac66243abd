import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { AuditLog, MailOutbox } from '../../db/entities';
import { waitForMail } from '../support/mailbox';
import { startEngineHarness, type EngineHarness } from '../support/test-worker';

describe('smoke: Temporal, PostgreSQL and SMTP together', () => {
  let engine: EngineHarness;
  beforeAll(async () => {
    engine = await startEngineHarness();
  });
  afterAll(async () => {
    await engine.close();
  });

  it('runs a workflow whose activities write a row and deliver a mail', async () => {
    const workflowId = `smoke-${randomUUID()}`;
    const recipient = `ops+${randomUUID().slice(0, 8)}@example.test`;
    const result = await engine.client.workflow.execute('smokeCheck', {
      workflowId,
      taskQueue: engine.taskQueue,
      args: [{ recipient }],
    });

    const em = engine.orm.em.fork();
    const audit = await em.findOneOrFail(AuditLog, { id: result.auditId });
    expect(audit).toMatchObject({ action: 'smoke-check', subject: workflowId, detail: { recipient } });
    const outbox = await em.findOneOrFail(MailOutbox, { id: result.outboxId });
    expect(outbox).toMatchObject({ status: 'sent', recipient, attempts: 1 });

    const mail = await waitForMail((m) => m.to.includes(recipient));
    expect(mail.subject).toBe(`Smoke check ${workflowId}`);
    expect(mail.messageId).toBe(result.messageId);
    expect(mail.text).toContain(result.auditId);
  });
});
