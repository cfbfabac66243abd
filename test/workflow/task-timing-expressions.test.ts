import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { ACTIVITY_CATALOG } from '../../activities';
import { bindActivities } from '../../activities/activity-definition';
import type { ActivityDeps } from '../../activities/deps';
import { crmRuleActivities } from '../../activities/crm/rule-activities';
import { compileTemplate } from '../../dsl/compile';
import type { ProcessPlan } from '../../dsl/plan';
import { completeTaskUpdate, stateQuery } from '../../workflows/messages';
import { sharedWorkflowBundle } from '../support/test-worker';
import { recordHistory } from './support/history-recorder';
import { definePlan, expr, set, task } from './support/plans';
import { eventually, startProcessHarness, type ProcessHandle, type ProcessHarness } from './support/process-harness';
import { failIncident } from './support/incidents';

// The rule activities are pure: they never touch their dependencies.
const PURE_RULES_USE_NO_DEPS = {} as ActivityDeps;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The SLA template of dsl/README.md, compiled against the real catalog. */
const SLA_TEMPLATE = `
key: ticket-answer
name: Answer a ticket within its SLA
input:
  type: object
  required: [ticketId, priority, openedAt]
  properties: { ticketId: { type: string }, priority: { type: string }, openedAt: { type: string } }
steps:
  - id: sla
    call: crm.ticketSla
    with: { priority: =input.priority, openedAt: =input.openedAt }
  - id: answer
    task:
      title: ="Answer ticket " + input.ticketId
      assignee: u-agent
      outcomes: [answered]
      due: =steps.sla.responseWithin
      remind: { every: =steps.sla.remindResponseAfter }
      escalate: [{ after: =steps.sla.responseWithin, notify: [support-lead@crm.test], raisePriority: urgent }]
`;

describe('task: due, reminders and escalations timed by expressions', () => {
  let harness: ProcessHarness;
  beforeAll(async () => {
    const { 'crm.ticketSla': ticketSla } = bindActivities(crmRuleActivities, PURE_RULES_USE_NO_DEPS);
    harness = await startProcessHarness({ activities: { 'crm.ticketSla': ticketSla } });
  });
  afterAll(async () => {
    await harness?.teardown();
  });

  const plan = definePlan('task-timing-input', [
    task('approve', {
      title: expr('"Approve " + input.quoteId'),
      assignee: 'u-rep',
      dueExpr: expr('input.within'),
      remind: { everyExpr: expr('input.remindEvery'), times: 2 },
      escalate: [
        { afterExpr: expr('input.within'), notify: 'lead@crm.test', raisePriority: 'urgent' },
        { afterMs: 3 * HOUR, reassign: { user: 'u-director' } },
      ],
    }),
  ]);

  /** The workflow time the task opened at, from its due time and how long it had. */
  async function openedAtOf(handle: ProcessHandle, dueMs: number): Promise<number> {
    await eventually(
      () => (harness.engine.callsOf('engine.openTask', handle.workflowId).length === 1 ? true : undefined),
      'the task to open',
    );
    return Date.parse((await handle.query(stateQuery)).tasks[0]?.dueAt ?? '') - dueMs;
  }

  async function firedAt(handle: ProcessHandle, openedAt: number, count: number): Promise<[string, number][]> {
    await eventually(
      () => (harness.engine.callsOf('engine.updateTask', handle.workflowId).length === count ? true : undefined),
      `${count} task updates`,
    );
    return harness.engine
      .callsOf('engine.updateTask', handle.workflowId)
      .map((update) => [update.eventKey, Math.round((Date.parse(update.at) - openedAt) / MINUTE)]);
  }

  async function complete(handle: ProcessHandle, path: string, outcome: string): Promise<void> {
    await handle.executeUpdate(completeTaskUpdate, {
      args: [
        { taskId: `${handle.workflowId}:${path}@0`, outcome, form: {}, actor: { userId: 'u-director', roles: [] } },
      ],
    });
  }

  it('reads due, remind.every and escalate[].after from the input when the task opens, beside a literal rung', async () => {
    const handle = await harness.start(plan, { quoteId: 'Q-1', within: 'PT2H', remindEvery: 'PT30M' });
    const openedAt = await openedAtOf(handle, 2 * HOUR);
    const [opened] = harness.engine.callsOf('engine.openTask', handle.workflowId);
    expect(opened).toMatchObject({ title: 'Approve Q-1', dueAt: new Date(openedAt + 2 * HOUR).toISOString() });

    for (const hours of [1, 1, 1.5]) await harness.env.sleep(hours * HOUR);
    expect(await firedAt(handle, openedAt, 4)).toEqual([
      ['reminded:1', 30],
      ['reminded:2', 60],
      ['escalated:1', 120],
      ['escalated:2', 180],
    ]);
    expect(harness.engine.callsOf('engine.updateTask', handle.workflowId).map((update) => update.change)).toEqual([
      { type: 'reminded', count: 1 },
      { type: 'reminded', count: 2 },
      { type: 'escalated', level: 1, priority: 'urgent', notify: ['lead@crm.test'] },
      { type: 'escalated', level: 2, assignee: 'u-director' },
    ]);
    await complete(handle, 'steps[0]', 'approved');
    expect(await handle.result()).toMatchObject({ status: 'completed' });
    await recordHistory(handle, 'task-timing-expressions');
    // Evaluating the timing adds no command: the history replays against the same bundle.
    await Worker.runReplayHistory(
      { workflowBundle: await sharedWorkflowBundle() },
      await handle.fetchHistory(),
      handle.workflowId,
    );
  });

  it('times an SLA task from the crm.ticketSla rule, compiled from a template', async () => {
    const compiled = compileTemplate(SLA_TEMPLATE, { catalog: ACTIVITY_CATALOG, version: 1 });
    expect(compiled.diagnostics).toEqual([]);
    const slaPlan = compiled.plan as ProcessPlan;
    expect(slaPlan.steps[1]).toMatchObject({
      dueExpr: { $expr: 'steps.sla.responseWithin' },
      remind: { everyExpr: { $expr: 'steps.sla.remindResponseAfter' }, times: 1 },
    });

    // The default policy for `high`: respond within PT2H, remind PT30M before.
    const handle = await harness.start(slaPlan, {
      ticketId: 'T-9',
      priority: 'high',
      openedAt: '2025-03-01T09:00:00Z',
    });
    const openedAt = await openedAtOf(handle, 2 * HOUR);
    expect((await handle.query(stateQuery)).steps.sla).toMatchObject({
      responseWithin: 'PT2H',
      remindResponseAfter: 'PT1H30M',
    });
    await harness.env.sleep(3 * HOUR);
    expect(await firedAt(handle, openedAt, 2)).toEqual([
      ['reminded:1', 90],
      ['escalated:1', 120],
    ]);
    await complete(handle, 'steps[1]', 'answered');
    expect(await handle.result()).toMatchObject({ status: 'completed' });
  });

  it.each([
    ['a month, which has no fixed length', { within: 'P1M', remindEvery: 'PT30M' }, 'due', /"P1M".*years or months/],
    [
      'a malformed reminder interval',
      { within: 'PT2H', remindEvery: '30 minutes' },
      'remind.every',
      /"30 minutes".*not a duration/,
    ],
    ['a zero due time', { within: 'PT0S', remindEvery: 'PT30M' }, 'due', /"PT0S".*zero/],
  ])(
    'fails the task step on %s with task.invalid-duration, before the task opens',
    async (_name, timing, field, message) => {
      const handle = await harness.start(plan, { quoteId: 'Q-2', ...timing });
      // Nothing handles the failure, so the step is held as an incident; the operator ends it.
      expect(await failIncident(handle)).toMatchObject({ stepId: 'approve', code: 'task.invalid-duration' });
      const error = await handle.result().catch((failure: unknown) => failure);
      expect(error).toBeInstanceOf(WorkflowFailedError);
      const cause = (error as WorkflowFailedError).cause as ApplicationFailure;
      expect(cause).toBeInstanceOf(ApplicationFailure);
      expect(cause.type).toBe('task.invalid-duration');
      expect(cause.message).toContain(`step approve: task ${field} is`);
      expect(cause.message).toMatch(message);
      expect(harness.engine.callsOf('engine.openTask', handle.workflowId)).toEqual([]);
      expect(harness.engine.projection(handle.workflowId).latest.error).toMatchObject({
        code: 'task.invalid-duration',
      });
    },
  );

  it('names the escalation rung of a non-string value; onError can catch the failure', async () => {
    const caught = definePlan('task-timing-caught', [
      task('approve', {
        assignee: 'u-rep',
        escalate: [
          { afterMs: HOUR, raisePriority: 'high' },
          { afterExpr: expr('input.hours'), raisePriority: 'urgent' },
        ],
        onError: {
          steps: [set('noted', { code: expr('error.code'), message: expr('error.message') })],
          then: 'continue',
        },
      }),
    ]);
    const handle = await harness.start(caught, { hours: 7200 });
    const result = await handle.result();
    expect(result.vars.code).toBe('task.invalid-duration');
    expect(result.vars.message).toContain('step approve: task escalate[1].after is 7200, not a duration');
    expect(harness.engine.callsOf('engine.openTask', handle.workflowId)).toEqual([]);
  });
});
