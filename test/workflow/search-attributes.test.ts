import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ProcessPlan } from '../../dsl/plan';
import { completeTaskUpdate } from '../../workflows/messages';
import { BUSINESS_KEY, PROCESS_STATUS, TEMPLATE_KEY, TEMPLATE_VERSION } from '../../workflows/search-attributes';
import { definePlan, expr, fail, task } from './support/plans';
import { eventually, startProcessHarness, type ProcessHandle, type ProcessHarness } from './support/process-harness';
import { recordHistory } from './support/history-recorder';

describe('search attributes: template key, version, business key, status', () => {
  let harness: ProcessHarness;
  // Real time on the dev server: these tests cancel instances, and on the time-skipping server
  // time can skip while a cancellation's workflow tasks are in flight (TimeoutFailure). No timers here.
  beforeAll(async () => {
    harness = await startProcessHarness({ server: 'dev' });
  });
  afterAll(async () => {
    await harness?.teardown();
  });

  async function attributes(handle: ProcessHandle) {
    const { typedSearchAttributes } = await handle.describe();
    return {
      key: typedSearchAttributes.get(TEMPLATE_KEY),
      version: typedSearchAttributes.get(TEMPLATE_VERSION),
      businessKey: typedSearchAttributes.get(BUSINESS_KEY),
      status: typedSearchAttributes.get(PROCESS_STATUS),
    };
  }

  const approval: ProcessPlan = definePlan('sa-quote', [task('approve', { outcomes: ['ok'] })], {
    version: 7,
    businessKey: expr('"Q-" + input.quote'),
  });

  it('are upserted at start and the status follows the instance to completed', async () => {
    const handle = await harness.start(approval, { quote: '42' });
    await eventually(
      () => (harness.engine.callsOf('engine.openTask', handle.workflowId).length === 1 ? true : undefined),
      'task open',
    );
    expect(await attributes(handle)).toEqual({ key: 'sa-quote', version: 7, businessKey: 'Q-42', status: 'running' });
    await handle.executeUpdate(completeTaskUpdate, {
      args: [{ taskId: `${handle.workflowId}:steps[0]@0`, outcome: 'ok', actor: { userId: 'u', roles: [] } }],
    });
    await handle.result();
    expect(await attributes(handle)).toEqual({ key: 'sa-quote', version: 7, businessKey: 'Q-42', status: 'completed' });
  });

  it('a projected start leaves the status to Temporal and its start to the starter', async () => {
    const handle = await harness.start(
      approval,
      { quote: '44' },
      { projectedStart: { startedAt: '2026-12-01T08:00:00.000Z' } },
    );
    await eventually(
      () => (harness.engine.callsOf('engine.openTask', handle.workflowId).length === 1 ? true : undefined),
      'task open',
    );
    expect(await attributes(handle)).toEqual({ key: 'sa-quote', version: 7, businessKey: 'Q-44', status: undefined });
    await handle.executeUpdate(completeTaskUpdate, {
      args: [{ taskId: `${handle.workflowId}:steps[0]@0`, outcome: 'ok', actor: { userId: 'u', roles: [] } }],
    });
    await handle.result();
    expect(await attributes(handle)).toEqual({ key: 'sa-quote', version: 7, businessKey: 'Q-44', status: undefined });
    expect((await handle.describe()).status.name).toBe('COMPLETED');
    // The starter wrote `instance.started` as seq 1: the workflow's flushes neither repeat nor reuse it.
    const flushes = harness.engine.callsOf('engine.projectInstance', handle.workflowId);
    const entries = flushes.flatMap((flush) => flush.timeline);
    expect(entries.map((entry) => entry.type)).not.toContain('instance.started');
    expect(Math.min(...entries.map((entry) => entry.seq))).toBe(2);
    expect(flushes.every((flush) => flush.startedAt === '2026-12-01T08:00:00.000Z')).toBe(true);
    // Started on code that has every older patch: it takes their paths without recording markers.
    const { events } = await handle.fetchHistory();
    const markers = (events ?? []).map((event) => event.markerRecordedEventAttributes?.markerName).filter(Boolean);
    expect(markers).not.toContain('core_patch');
    await recordHistory(handle, 'search-attributes-projected-start');
  });

  it('status failed and cancelled; no business key when the plan has none', async () => {
    const failing = await harness.start(definePlan('sa-fail', [fail('no', 'x.no')]));
    await failing.result().catch(() => undefined);
    expect(await attributes(failing)).toEqual({ key: 'sa-fail', version: 1, businessKey: undefined, status: 'failed' });

    const cancelled = await harness.start(approval, { quote: '43' });
    await eventually(
      () => (harness.engine.callsOf('engine.openTask', cancelled.workflowId).length === 1 ? true : undefined),
      'task open',
    );
    await cancelled.cancel();
    await cancelled.result().catch(() => undefined);
    expect(await attributes(cancelled)).toMatchObject({ businessKey: 'Q-43', status: 'cancelled' });
    await recordHistory(cancelled, 'search-attributes-cancelled');
  });
});
