import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { openOrm, type Orm } from '../../db/orm';
import { MailOutbox } from '../../db/entities';
import { createMailTransport } from '../../runtime/mailer';
import { installTemporalRuntime } from '../../runtime/temporal-logging';
import { waitForMail } from '../support/mailbox';
import { testServers } from '../support/test-env';
import { sharedWorkflowBundle } from '../support/test-worker';
import { createTimeSkippingEnv } from '../support/time-skipping';

describe('smokeCheck on the time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  let orm: Orm;
  beforeAll(async () => {
    installTemporalRuntime(pino({ level: 'warn' }));
    env = await createTimeSkippingEnv();
    orm = await openOrm(testServers().databaseUrl, { poolMax: 2 });
  });
  afterAll(async () => {
    await env?.teardown();
    await orm?.close();
  });

  it('runs with the real activities', async () => {
    expect(env.supportsTimeSkipping).toBe(true);
    const mailer = createMailTransport(testServers().smtpUrl);
    const taskQueue = `ts-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await sharedWorkflowBundle(),
      activities: createActivities({ orm, mailer, mailFrom: 'test@engine.test', logger: pino({ level: 'warn' }) }),
    });
    const recipient = `ts+${randomUUID().slice(0, 8)}@example.test`;
    const result = (await worker.runUntil(
      env.client.workflow.execute('smokeCheck', {
        workflowId: `ts-${randomUUID()}`,
        taskQueue,
        args: [{ recipient }],
      }),
    )) as { outboxId: string };
    mailer.close();
    const row = await orm.em.fork().findOneOrFail(MailOutbox, { id: result.outboxId });
    expect(row.status).toBe('sent');
    await waitForMail((m) => m.to.includes(recipient));
  });
});
