import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { WorkflowFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { completeTaskUpdate, resolveIncidentUpdate, stateQuery } from '../../workflows/messages';
import { call, definePlan, expr, forEach, repeat, set, task } from './support/plans';
import { eventually, startProcessHarness, type ProcessHandle, type ProcessHarness } from './support/process-harness';
import { recordHistory } from './support/history-recorder';

describe('forEach and repeat', () => {
  let harness: ProcessHarness;
  beforeAll(async () => {
    harness = await startProcessHarness();
  });
  afterAll(async () => {
    await harness?.teardown();
  });

  const openTasks = (handle: ProcessHandle) => harness.engine.callsOf('engine.openTask', handle.workflowId);
  const complete = (handle: ProcessHandle, taskId: string, outcome = 'ok') =>
    handle.executeUpdate(completeTaskUpdate, { args: [{ taskId, outcome, actor: { userId: 'u1', roles: [] } }] });

  it("forEach runs iterations one after another; the result is each iteration's step results", async () => {
    const plan = definePlan('foreach-seq', [
      forEach('lines', expr('input.lines'), 'line', [
        call('price', 'test.echo', { sku: expr('line.sku'), total: expr('line.qty * line.unit'), at: expr('index') }),
        set('last', { lastSku: expr('steps.price.sku') }),
      ]),
      call('sum', 'test.echo', { first: expr('steps.lines[0].price.total'), count: expr('size(steps.lines)') }),
    ]);
    const handle = await harness.start(plan, {
      lines: [
        { sku: 'A', qty: 2, unit: 5 },
        { sku: 'B', qty: 1, unit: 7 },
        { sku: 'C', qty: 3, unit: 1 },
      ],
    });
    const result = await handle.result();
    await recordHistory(handle, 'foreach-sequential');
    const state = await handle.query(stateQuery);
    expect(state.steps.lines).toEqual([
      { price: { sku: 'A', total: 10, at: 0 }, last: { lastSku: 'A' } },
      { price: { sku: 'B', total: 7, at: 1 }, last: { lastSku: 'B' } },
      { price: { sku: 'C', total: 3, at: 2 }, last: { lastSku: 'C' } },
    ]);
    expect(state.steps.sum).toEqual({ first: 10, count: 3 });
    expect(result.vars.lastSku).toBe('C');
    // Iteration-local results do not leak to the top level.
    expect(state.steps).not.toHaveProperty('price');
  });

  it('forEach with tasks gives each iteration its own task id; sequential opens one at a time', async () => {
    const plan = definePlan('foreach-tasks', [
      forEach('checks', expr('input.items'), 'item', [
        task('check', { title: expr('"Check " + item'), outcomes: ['ok'] }),
      ]),
    ]);
    const handle = await harness.start(plan, { items: ['x', 'y'] });
    const id = handle.workflowId;
    await eventually(() => (openTasks(handle).length === 1 ? true : undefined), 'first task');
    await complete(handle, `${id}:steps[0].forEach.steps[0]@0`);
    await eventually(() => (openTasks(handle).length === 2 ? true : undefined), 'second task');
    expect(openTasks(handle).map((params) => [params.taskId, params.title])).toEqual([
      [`${id}:steps[0].forEach.steps[0]@0`, 'Check x'],
      [`${id}:steps[0].forEach.steps[0]@1`, 'Check y'],
    ]);
    await complete(handle, `${id}:steps[0].forEach.steps[0]@1`);
    await handle.result();
  });

  it('concurrent forEach keeps at most maxConcurrency iterations in flight', async () => {
    const plan = definePlan('foreach-concurrent', [
      forEach('checks', expr('input.items'), 'item', [task('check', { title: expr('item'), outcomes: ['ok'] })], {
        concurrent: true,
        maxConcurrency: 2,
      }),
    ]);
    const handle = await harness.start(plan, { items: ['a', 'b', 'c', 'd'] });
    const id = handle.workflowId;
    await eventually(() => (openTasks(handle).length === 2 ? true : undefined), 'two tasks');
    expect(
      openTasks(handle)
        .map((params) => params.title)
        .sort(),
    ).toEqual(['a', 'b']);
    await complete(handle, `${id}:steps[0].forEach.steps[0]@1`);
    await eventually(() => (openTasks(handle).length === 3 ? true : undefined), 'third task');
    expect(
      (await handle.query(stateQuery)).tasks.filter((view) => view.status === 'open').map((view) => view.title),
    ).toEqual(['a', 'c']);
    for (const index of [0, 2]) await complete(handle, `${id}:steps[0].forEach.steps[0]@${index}`);
    await eventually(() => (openTasks(handle).length === 4 ? true : undefined), 'fourth task');
    await complete(handle, `${id}:steps[0].forEach.steps[0]@3`);
    await handle.result();
    await recordHistory(handle, 'foreach-concurrent');
    const state = await handle.query(stateQuery);
    expect(
      (state.steps.checks as { check: { taskId: string } }[]).map((iteration) => iteration.check.taskId.split('@')[1]),
    ).toEqual(['0', '1', '2', '3']);
  });

  it('repeat runs until its condition holds; tasks inside get one id per iteration', async () => {
    const plan = definePlan('repeat-until', [
      set('init', { round: 0 }),
      repeat(
        'revise',
        [
          set('bump', { round: expr('vars.round + 1') }),
          task('review', { title: expr('"Round " + string(vars.round)'), outcomes: ['changes', 'approved'] }),
        ],
        expr('steps.review.outcome == "approved"'),
        5,
      ),
    ]);
    const handle = await harness.start(plan);
    const id = handle.workflowId;
    for (const [iteration, outcome] of [
      [0, 'changes'],
      [1, 'changes'],
      [2, 'approved'],
    ] as const) {
      await eventually(() => (openTasks(handle).length === iteration + 1 ? true : undefined), `task ${iteration}`);
      await complete(handle, `${id}:steps[1].repeat.steps[1]@${iteration}`, outcome);
    }
    const result = await handle.result();
    await recordHistory(handle, 'repeat-until');
    expect(result.vars.round).toBe(3);
    expect((await handle.query(stateQuery)).steps.revise).toEqual({ iterations: 3 });
    expect(openTasks(handle).map((params) => params.title)).toEqual(['Round 1', 'Round 2', 'Round 3']);
  });

  it('repeat holds an incident with repeat.max-iterations when until never holds; failing it fails the instance', async () => {
    const plan = definePlan('repeat-max', [
      repeat('spin', [set('bump', { n: expr('has(vars.n) ? vars.n + 1 : 1') })], expr('vars.n > 100'), 4),
    ]);
    const handle = await harness.start(plan);
    const held = await eventually(async () => {
      const state = await handle.query(stateQuery);
      return state.status === 'incident' ? state : undefined;
    }, 'the repeat held in incident');
    expect(held.incidents?.[0]).toMatchObject({ stepId: 'spin', code: 'repeat.max-iterations' });
    await handle.executeUpdate(resolveIncidentUpdate, {
      args: [{ decision: 'fail', actor: { userId: 'u-admin', roles: ['admin'] } }],
    });
    const error = (await handle.result().catch((failure: unknown) => failure)) as WorkflowFailedError;
    expect((error.cause as ApplicationFailure).type).toBe('repeat.max-iterations');
    await recordHistory(handle, 'repeat-max-iterations');
    expect(harness.engine.projection(handle.workflowId).latest.status).toBe('failed');
    expect((await handle.query(stateQuery)).vars.n).toBe(4);
  });
});
