import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WorkflowUpdateFailedError, type WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { completeTaskUpdate } from '../../workflows/messages';
import { call, definePlan, expr, set, task } from './support/plans';
import { eventually, startProcessHarness, type ProcessHarness, type ProcessHandle } from './support/process-harness';
import { failIncident } from './support/incidents';

const RANGE = `[${Array.from({ length: 60 }, (_, i) => i).join(',')}]`;
/** 13 million loop iterations: without a budget each workflow task hits the 5 s CPU limit and is retried forever. */
const RUNAWAY = `${RANGE}.map(a, ${RANGE}.map(b, ${RANGE}.map(c, ${RANGE}.filter(d, a + b + c + d == 7).size())))`;

const { EventType } = temporal.api.enums.v1;

async function failureOf(handle: ProcessHandle): Promise<ApplicationFailure> {
  // Nobody handles the failure: the step is held in incident until an operator fails it.
  await failIncident(handle);
  const error = (await handle.result().catch((failure: unknown) => failure)) as WorkflowFailedError;
  expect(error.cause).toBeInstanceOf(ApplicationFailure);
  return error.cause as ApplicationFailure;
}

async function failedWorkflowTasks(handle: ProcessHandle): Promise<number> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).filter(
    (event) =>
      event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED ||
      event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
  ).length;
}

describe('runProcess: evaluation and value budgets', () => {
  let harness: ProcessHarness;
  beforeAll(async () => {
    harness = await startProcessHarness();
  });
  afterAll(async () => {
    await harness?.teardown();
  });

  it('fails an instance whose expression runs over its budget once, non-retryably, while another runs normally', async () => {
    const runaway = definePlan('budget-runaway', [set('explode', { value: expr(RUNAWAY) })]);
    const normal = definePlan('budget-normal', [
      call('greet', 'test.echo', { who: expr('input.name') }),
      set('done', { loops: expr(`${RANGE}.map(a, a * 2).size()`) }),
    ]);
    const [bad, good] = await Promise.all([harness.start(runaway, {}), harness.start(normal, { name: 'Ada' })]);

    const failure = await failureOf(bad);
    expect(failure.type).toBe('expression.over-budget');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('budget of 1000000 cost units');
    expect(await failedWorkflowTasks(bad)).toBe(0);

    expect(await good.result()).toMatchObject({ status: 'completed', vars: { loops: 60 } });
  });

  it('takes the budget the plan carries', async () => {
    const plan = definePlan('budget-small', [set('loop', { n: expr(`${RANGE}.map(a, a * 2).size()`) })], {
      limits: { expressionCost: 50, valueBytes: 64 * 1024 },
    });
    expect((await failureOf(await harness.start(plan, {}))).type).toBe('expression.over-budget');
  });

  it('fails the step that builds a value over the size limit, naming it', async () => {
    const plan = definePlan('budget-value', [set('grow', { text: expr('"x" + input.text + input.text') })], {
      limits: { expressionCost: 1_000_000, valueBytes: 1000 },
    });
    const failure = await failureOf(await harness.start(plan, { text: 'y'.repeat(600) }));
    expect(failure.type).toBe('value.too-large');
    expect(failure.message).toContain("step 'grow'");
    expect(failure.message).toContain('more than the limit of 1000');

    const small = await harness.start(plan, { text: 'y'.repeat(100) });
    expect(await small.result()).toMatchObject({ status: 'completed' });
  });

  it('fails a call whose activity result is over the size limit', async () => {
    const plan = definePlan('budget-result', [call('big', 'test.echo', { blob: expr('input.blob') })], {
      limits: { expressionCost: 1_000_000, valueBytes: 1000 },
    });
    const failure = await failureOf(await harness.start(plan, { blob: 'z'.repeat(2000) }));
    expect(failure.type).toBe('value.too-large');
    expect(failure.message).toContain("step 'big'");
  });

  it('refuses task form data over the size limit before the task completes', async () => {
    const plan = definePlan('budget-form', [task('review', { assignee: 'u-1', outcomes: ['done'] })], {
      limits: { expressionCost: 1_000_000, valueBytes: 1000 },
    });
    const handle = await harness.start(plan, {});
    await eventually(
      () => (harness.engine.callsOf('engine.openTask', handle.workflowId).length === 1 ? true : undefined),
      'task open',
    );
    const args = { taskId: `${handle.workflowId}:steps[0]@0`, outcome: 'done', actor: { userId: 'u-1', roles: [] } };
    const refused = await handle
      .executeUpdate(completeTaskUpdate, { args: [{ ...args, form: { notes: 'n'.repeat(2000) } }] })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refused as WorkflowUpdateFailedError).cause).toMatchObject({
      type: 'task.form-invalid',
      message: expect.stringContaining('more than the limit of 1000'),
    });
    await handle.executeUpdate(completeTaskUpdate, { args: [{ ...args, form: { notes: 'short' } }] });
    expect(await handle.result()).toMatchObject({ status: 'completed' });
  });
});
