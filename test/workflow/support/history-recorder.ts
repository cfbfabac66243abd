import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyFromJSON, historyToJSON, type History } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';

export const HISTORY_FIXTURES = path.resolve('test/fixtures/histories');

/** A recorded run: the history plus the ids replay needs to issue the same commands. */
export interface HistoryFixture {
  workflowId: string;
  runId: string;
  workflowType: string;
  history: unknown;
}

export function recordingHistories(): boolean {
  return process.env.RECORD_HISTORIES === '1';
}

/**
 * With RECORD_HISTORIES=1, saves every run of the workflow (following continue-as-new) as
 * `<name>.json`, `<name>.run2.json`, … for test/workflow/replay.test.ts. Otherwise does nothing:
 * the committed fixtures are what CI replays.
 */
export async function recordHistory(handle: WorkflowHandle, name: string, folder = HISTORY_FIXTURES): Promise<void> {
  if (!recordingHistories()) return;
  fs.mkdirSync(folder, { recursive: true });
  let runId: string | undefined =
    'firstExecutionRunId' in handle && typeof handle.firstExecutionRunId === 'string'
      ? handle.firstExecutionRunId
      : (await handle.describe()).runId;
  for (let run = 1; runId; run++) {
    const runHandle = handle.client.getHandle(handle.workflowId, runId);
    const history = await runHandle.fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    const fixture: HistoryFixture = {
      workflowId: handle.workflowId,
      runId,
      workflowType: started?.workflowType?.name ?? 'unknown',
      history: JSON.parse(historyToJSON(history)),
    };
    const file = path.join(folder, `${name}${run === 1 ? '' : `.run${run}`}.json`);
    fs.writeFileSync(file, `${JSON.stringify(fixture, null, 1)}\n`);
    runId = continuedRunId(history);
  }
}

function continuedRunId(history: History): string | undefined {
  const last = history.events?.at(-1);
  if (last?.eventType !== temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW)
    return undefined;
  return last.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
}

export function readHistoryFixture(file: string): HistoryFixture & { events: History } {
  const fixture = JSON.parse(fs.readFileSync(file, 'utf8')) as HistoryFixture;
  return { ...fixture, events: historyFromJSON(fixture.history) };
}

export function historyFixtureFiles(): string[] {
  if (!fs.existsSync(HISTORY_FIXTURES)) return [];
  return fs
    .readdirSync(HISTORY_FIXTURES)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => path.join(HISTORY_FIXTURES, file));
}
