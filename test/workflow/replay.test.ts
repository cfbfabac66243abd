import { beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import type { ProcessPlan } from '../../dsl/plan';
import type { RunProcessInput } from '../../workflows/messages';
import { sharedWorkflowBundle } from '../support/test-worker';
import { createTimeSkippingEnv } from '../support/time-skipping';
import {
  HISTORY_FIXTURES,
  historyFixtureFiles,
  readHistoryFixture,
  recordHistory,
  recordingHistories,
  type HistoryFixture,
} from './support/history-recorder';

const PROBE_FIXTURES = path.join(HISTORY_FIXTURES, 'probe');
const PROBE_FIXTURE = path.join(PROBE_FIXTURES, 'replay-probe-v1.json');
const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error };

/**
 * Every recorded history (test/fixtures/histories, written by the workflow tests with
 * RECORD_HISTORIES=1) must replay against the current bundle: a change to the interpreter that
 * would break running instances fails here, in CI, before it reaches a worker.
 */
describe('replay of recorded histories', () => {
  // While recording, the other test files are still writing the fixtures this would read.
  const replayFixtures = recordingHistories() ? it.skip : it;

  replayFixtures('every recorded runProcess history replays against the current bundle', async () => {
    const files = historyFixtureFiles();
    expect(files.length).toBeGreaterThanOrEqual(20);
    const fixtures = files.map((file) => ({ name: path.basename(file), ...readHistoryFixture(file) }));
    expect(new Set(fixtures.map((fixture) => fixture.workflowType))).toEqual(new Set(['runProcess']));
    const results = Worker.runReplayHistories(
      { workflowBundle: await sharedWorkflowBundle(), replayName: 'fixtures' },
      fixtures.map((fixture) => ({ workflowId: fixture.workflowId, history: fixture.events })),
    );
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of results) {
      replayed++;
      if (result.error) failures.push(`${result.workflowId}: ${String(result.error)}`);
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(fixtures.length);
  });

  replayFixtures('a history replayed with a different plan in its start input is a determinism violation', async () => {
    // What would happen if an instance were moved to an edited template: the plan is part of
    // the history, so a changed plan means different commands. (Versions pin plans for this.)
    const fixture = readRaw('call-set-if.json');
    editStartInput(fixture, (input) => {
      input.plan.steps.unshift({ kind: 'wait', id: 'inserted', path: 'steps[0]', durationMs: 60_000 });
    });
    await expect(
      Worker.runReplayHistory(
        { workflowBundle: await sharedWorkflowBundle() },
        historyFromJSON(fixture.history),
        fixture.workflowId,
      ),
    ).rejects.toThrow(DeterminismViolationError);
  });

  describe('a code change without patched() breaks recorded histories; with patched() it does not', () => {
    const bundles: Record<'v1' | 'v2-unpatched' | 'v2-patched', WorkflowBundleWithSourceMap | undefined> = {
      v1: undefined,
      'v2-unpatched': undefined,
      'v2-patched': undefined,
    };
    const bundle = (version: keyof typeof bundles): WorkflowBundleWithSourceMap =>
      bundles[version] as WorkflowBundleWithSourceMap;

    beforeAll(async () => {
      for (const version of Object.keys(bundles) as (keyof typeof bundles)[]) {
        bundles[version] = await bundleWorkflowCode({
          workflowsPath: path.resolve(`test/workflow/support/replay-probe/${version}.ts`),
          logger: silent,
        });
      }
      if (recordingHistories()) await recordProbe(bundle('v1'));
    });

    it('replays v1 against v1', async () => {
      const fixture = readHistoryFixture(PROBE_FIXTURE);
      await Worker.runReplayHistory({ workflowBundle: bundle('v1') }, fixture.events, fixture.workflowId);
    });

    it('fails with DeterminismViolationError against the unpatched v2', async () => {
      const fixture = readHistoryFixture(PROBE_FIXTURE);
      await expect(
        Worker.runReplayHistory({ workflowBundle: bundle('v2-unpatched') }, fixture.events, fixture.workflowId),
      ).rejects.toThrow(DeterminismViolationError);
    });

    it('replays v1 against the patched v2', async () => {
      const fixture = readHistoryFixture(PROBE_FIXTURE);
      await Worker.runReplayHistory({ workflowBundle: bundle('v2-patched') }, fixture.events, fixture.workflowId);
    });
  });
});

function readRaw(name: string): HistoryFixture {
  const { events: _events, ...fixture } = readHistoryFixture(path.join(HISTORY_FIXTURES, name));
  return fixture;
}

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

/** Rewrites the runProcess input inside the WorkflowExecutionStarted event of a JSON history. */
function editStartInput(
  fixture: HistoryFixture,
  edit: (input: RunProcessInput & { plan: { steps: unknown[] } & ProcessPlan }) => void,
): void {
  const history = fixture.history as {
    events: { workflowExecutionStartedEventAttributes?: { input?: { payloads?: JsonPayload[] } } }[];
  };
  const payload = history.events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!payload?.data) throw new Error('no start input in the fixture');
  const input = JSON.parse(Buffer.from(payload.data, 'base64').toString('utf8'));
  edit(input);
  payload.data = Buffer.from(JSON.stringify(input)).toString('base64');
}

/** Runs probe v1 once on the time-skipping server and saves its history (RECORD_HISTORIES=1 only). */
async function recordProbe(workflowBundle: WorkflowBundleWithSourceMap): Promise<void> {
  const env = await createTimeSkippingEnv();
  try {
    const taskQueue = `probe-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle,
      activities: { 'test.echo': async (value: string) => value },
    });
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start('replayProbe', { taskQueue, workflowId: `probe-${randomUUID()}` });
      await handle.result();
      await recordHistory(handle, 'replay-probe-v1', PROBE_FIXTURES);
    });
  } finally {
    await env.teardown();
  }
}
