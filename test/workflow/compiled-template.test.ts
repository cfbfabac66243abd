import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import { ACTIVITY_CATALOG } from '../../activities';
import { compileTemplate } from '../../dsl/compile';
import type { Json, ProcessPlan } from '../../dsl/plan';
import { completeTaskUpdate, eventSignal, stateQuery } from '../../workflows/messages';
import { recordHistory } from './support/history-recorder';
import { eventually, startProcessHarness, type ProcessHandle, type ProcessHarness } from './support/process-harness';

/** The compiler's own sample (test/fixtures/templates), compiled by dsl/compile.ts, run by the interpreter. */
function compileFixture(name: string): ProcessPlan {
  const source = fs.readFileSync(`test/fixtures/templates/${name}.yaml`, 'utf8');
  const compiled = compileTemplate(source, { catalog: ACTIVITY_CATALOG, version: 1 });
  if (!compiled.plan) throw new Error(JSON.stringify(compiled.diagnostics));
  return compiled.plan;
}

describe('a compiled template using every step kind', () => {
  let harness: ProcessHarness;
  const audits: Json[] = [];
  const mails: Json[] = [];
  beforeAll(async () => {
    // Stand-ins for the two catalog activities the sample calls (the real ones need the mail sink).
    // mail.send is slow on purpose: the `announce` parallel (n: 1) then always cancels a RUNNING
    // mail.send. The time-skipping server wedges the workflow task when asked to cancel an
    // activity whose completion it already holds (ACTIVITY_UNKNOWN); the dev server does not
    // (parallel.test.ts shows both).
    harness = await startProcessHarness({
      activities: {
        'audit.record': async (params: Json) => {
          audits.push(params);
          return { auditId: `a-${audits.length}` };
        },
        'mail.send': async (params: Json) => {
          await new Promise((resolve) => setTimeout(resolve, 500));
          mails.push(params);
          return { outboxId: `o-${mails.length}`, messageId: `m-${mails.length}`, alreadySent: false };
        },
      },
    });
    harness.engine.templates.set('welcome-call', compileFixture('welcome-call'));
  });
  afterAll(async () => {
    await harness?.teardown();
  });

  async function complete(
    handle: ProcessHandle,
    path: string,
    outcome: string,
    form: Record<string, Json>,
  ): Promise<void> {
    const taskId = `${handle.workflowId}:${path}@0`;
    await eventually(
      () =>
        harness.engine.callsOf('engine.openTask', handle.workflowId).some((task) => task.taskId === taskId)
          ? true
          : undefined,
      taskId,
    );
    await handle.executeUpdate(completeTaskUpdate, {
      args: [{ taskId, outcome, form, actor: { userId: 'u-mgr', roles: ['sales-manager'] } }],
    });
  }

  it('reviews, revises, checks lines, announces, waits, takes the signature and starts onboarding', async () => {
    const email = 'buyer@example.test';
    const handle = await harness.start(compileFixture('every-step-kind'), {
      customerEmail: email,
      amount: 1200,
      lines: [
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 2 },
        { sku: 'C', quantity: 3 },
      ],
    });
    // Sent long before the receive step: buffered from the start.
    await handle.signal(eventSignal, {
      event: 'quote.signed',
      eventId: 'sig-1',
      payload: { email: 'other@example.test' },
    });
    await handle.signal(eventSignal, {
      event: 'quote.signed',
      eventId: 'sig-2',
      payload: { email, signedAt: '2026-01-02T10:00:00Z' },
    });

    await complete(handle, 'steps[1]', 'changes', { reason: 'discount too low' });
    await complete(handle, 'steps[2].switch[2].otherwise[0].repeat.steps[0]', 'done', { approved: true });
    const result = await handle.result();
    await recordHistory(handle, 'compiled-every-step-kind');
    expect(result).toMatchObject({
      status: 'completed',
      result: { approved: true, signed: true },
      vars: { approved: true, revisions: 1 },
    });

    const { steps } = await handle.query(stateQuery);
    expect(steps.review).toMatchObject({ outcome: 'changes', form: { reason: 'discount too low' } });
    expect(steps.decide).toEqual({ branch: 'otherwise' });
    expect(steps.revise).toEqual({ iterations: 1 });
    expect((steps.checkLines as Json[]).length).toBe(3);
    expect(steps.announce).toMatchObject({ completed: ['record'], cancelled: ['mail'] });
    expect(steps.signature).toEqual({
      payload: { email, signedAt: '2026-01-02T10:00:00Z' },
      eventId: 'sig-2',
      timedOut: false,
    });
    const childId = `${handle.workflowId}/onboarding@0`;
    expect(steps.onboarding).toEqual({ instanceId: childId, started: true });
    const audited = audits
      .filter((entry) => (entry as { subject?: string }).subject !== undefined)
      .map((entry) => (entry as { action: string }).action);
    expect(audited.filter((action) => action === 'line.checked')).toHaveLength(3);
    const reviewTask = harness.engine.callsOf('engine.openTask', handle.workflowId)[0];
    expect(reviewTask).toMatchObject({
      priority: 'high',
      candidates: { role: 'sales-manager', users: [], where: { region: 'emea' } },
    });

    await eventually(
      () => (harness.engine.callsOf('engine.openTask', childId).length === 1 ? true : undefined),
      'the welcome call task',
    );
    expect(harness.engine.callsOf('engine.openTask', childId)[0]).toMatchObject({
      title: `Welcome ${email}`,
      templateKey: 'welcome-call',
    });
    await harness.env.client.workflow.getHandle(childId).terminate('test over');
  });
});
