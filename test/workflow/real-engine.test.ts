import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { ACTIVITY_CATALOG } from '../../activities';
import { TaskEvent } from '../../db/entities';
import { InstanceRow, TaskRow, TimelineRow } from '../../db/entities';
import { openOrm, type Orm } from '../../db/orm';
import { compileTemplate } from '../../dsl/compile';
import type { ProcessPlan } from '../../dsl/plan';
import { createMailTransport } from '../../runtime/mailer';
import { installTemporalRuntime } from '../../runtime/temporal-logging';
import { completeTaskUpdate, RUN_PROCESS, stateQuery, type RunProcessInput } from '../../workflows/messages';
import type { runProcess } from '../../workflows/run-process';
import { insertUser, newUser } from '../support/engine-test-kit';
import { waitForMail } from '../support/mailbox';
import { testServers } from '../support/test-env';
import { sharedWorkflowBundle } from '../support/test-worker';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { recordHistory } from './support/history-recorder';
import { eventually, registerSearchAttributes } from './support/process-harness';

const HOUR = 3_600_000;

/**
 * The interpreter with the REAL engine activities (activities/engine/) on the real PostgreSQL
 * and SMTP sink of the test run, on the time-skipping server; the plan comes from the real
 * compiler. What the stand-in tests assert as calls is asserted here as rows.
 */
describe('runProcess with the real engine activities and PostgreSQL', () => {
  let env: TestWorkflowEnvironment;
  let orm: Orm;
  let worker: Worker;
  let running: Promise<void>;
  let closeMailer: () => void;
  const taskQueue = `real-engine-${randomUUID()}`;
  const rep = newUser('rep', { roles: ['sales-rep'] });
  const boss = newUser('boss', { roles: ['sales-manager'] });

  beforeAll(async () => {
    installTemporalRuntime(pino({ level: 'error' }));
    orm = await openOrm(testServers().databaseUrl, { poolMax: 4 });
    for (const user of [rep, boss]) await insertUser(orm.em.fork(), user);
    const mailer = createMailTransport(testServers().smtpUrl);
    closeMailer = () => mailer.close();
    env = await createTimeSkippingEnv();
    await registerSearchAttributes(env);
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await sharedWorkflowBundle(),
      activities: createActivities({ orm, mailer, mailFrom: 'engine@engine.test', logger: pino({ level: 'silent' }) }),
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    closeMailer?.();
    await orm?.close();
  });

  function compile(key: string): ProcessPlan {
    const source = `key: ${key}
name: Real engine check
input: { type: object, required: [quote], properties: { quote: { type: string } } }
businessKey: =input.quote
steps:
  - id: log
    call: audit.record
    with: { actor: system, action: quote.review, subject: =input.quote }
  - id: approve
    task:
      title: ="Approve " + input.quote
      assignee: ${rep.id}
      outcomes: [approved, rejected]
      form: { reason: { type: string, minLength: 2 } }
      due: P1D
      remind: { every: PT4H, times: 2 }
      escalate: [{ after: P1D, reassign: { user: ${boss.id} }, raisePriority: high }]
  - id: done
    end: { result: { outcome: =steps.approve.outcome } }
`;
    const compiled = compileTemplate(source, { catalog: ACTIVITY_CATALOG, version: 1 });
    if (!compiled.plan) throw new Error(JSON.stringify(compiled.diagnostics));
    return compiled.plan;
  }

  it('projects the instance, the task, its reminders and escalation, and the completion before the Update returns', async () => {
    const quote = `q-${randomUUID().slice(0, 6)}`;
    const handle = await env.client.workflow.start<typeof runProcess>(RUN_PROCESS, {
      taskQueue,
      workflowId: `real-${quote}`,
      args: [{ plan: compile(`real-engine-${quote}`), input: { quote } } satisfies RunProcessInput],
    });
    const em = () => orm.em.fork();
    const task = await eventually(
      async () => (await em().findOne(TaskRow, { instanceId: handle.workflowId })) ?? undefined,
      'the task row',
    );

    expect(task).toMatchObject({
      status: 'open',
      assignee: rep.id,
      title: `Approve ${quote}`,
      priority: 'normal',
      outcomes: ['approved', 'rejected'],
    });
    expect(task.id).toBe((await handle.query(stateQuery)).tasks[0]?.taskId);
    await waitForMail((mail) => mail.to.includes(rep.email));

    // Reminders at 4 h and 8 h, the escalation at 1 day: the workflow's own timers on skipped time.
    for (const hours of [5, 4, 16]) await env.sleep(hours * HOUR);
    const events = await eventually(async () => {
      const found = await em().find(TaskEvent, { taskId: task.id }, { orderBy: { id: 'asc' } });
      return found.length >= 4 ? found : undefined;
    }, 'the reminder and escalation events');
    expect(events.map((event) => event.eventKey)).toEqual(['opened', 'reminded:1', 'reminded:2', 'escalated:1']);
    expect(await em().findOneOrFail(TaskRow, { id: task.id })).toMatchObject({
      assignee: boss.id,
      priority: 'high',
      remindersSent: 2,
      escalationLevel: 1,
    });

    await handle.executeUpdate(completeTaskUpdate, {
      args: [
        {
          taskId: task.id,
          outcome: 'approved',
          form: { reason: 'ok' },
          actor: { userId: boss.id, roles: ['sales-manager'] },
        },
      ],
    });
    // No polling: the handler awaited the projection before answering.
    expect(await em().findOneOrFail(TaskRow, { id: task.id })).toMatchObject({
      status: 'completed',
      outcome: 'approved',
      completedBy: boss.id,
    });

    expect(await handle.result()).toMatchObject({ result: { outcome: 'approved' } });
    await recordHistory(handle, 'real-engine-task');
    const row = await em().findOneOrFail(InstanceRow, { id: handle.workflowId });
    expect(row).toMatchObject({
      status: 'completed',
      businessKey: quote,
      result: { outcome: 'approved' },
      currentSteps: [],
    });
    const timeline = await em().find(TimelineRow, { instanceId: handle.workflowId }, { orderBy: { seq: 'asc' } });
    expect(timeline.map((entry) => entry.seq)).toEqual(timeline.map((_, index) => index + 1));
    expect(timeline.map((entry) => entry.type)).toEqual(
      expect.arrayContaining([
        'instance.started',
        'task.opened',
        'task.reminded',
        'task.escalated',
        'task.completed',
        'instance.completed',
      ]),
    );
  });
});
