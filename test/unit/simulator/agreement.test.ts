import { afterAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HISTORY_FIXTURES, historyFixtureFiles } from '../../workflow/support/history-recorder';
import { simulate } from '../../../simulator/dry-run';
import type { Json } from '../../../dsl/plan';
import { answersByStep, recordedRun } from './recorded-scenario';
import { closeWorkflowCreator } from '../../../simulator/workflow-vm';

// The dry runs execute in a worker thread of their own: end it, or jest waits for it.
afterAll(closeWorkflowCreator);

/**
 * Times differ by the real server's latencies (a dry run answers activities in no virtual time):
 * an ISO instant, alone or inside a string (an idempotency key naming the moment), is compared as
 * "an instant". A claim, delegation or release keys its projection event by the Update's id, which
 * the API draws at random: compared as "an update".
 */
function normalised(value: Json): Json {
  return JSON.parse(
    JSON.stringify(value)
      .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<instant>')
      .replace(/"eventKey":"(claimed|delegated|released):[^"]*"/g, '"eventKey":"$1:<update>"'),
  ) as Json;
}

/**
 * The dry run agrees with the real interpreter on every recorded history: derived from the
 * history, the scenario makes the dry run schedule the same activities with the same params in
 * the same order, and end the same way.
 */
describe('dry run against every recorded history', () => {
  const files = historyFixtureFiles();

  it('has the recorded histories to compare with', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  for (const file of files) {
    const name = path.relative(HISTORY_FIXTURES, file);
    it(`agrees with ${name}`, async () => {
      const recorded = recordedRun(JSON.parse(readFileSync(file, 'utf8')));
      const { args } = recorded;
      const run = () =>
        simulate(args.plan, recorded.scenario, {
          instanceId: recorded.workflowId,
          maxRuns: 1,
          ...(args.carried ? { carried: args.carried } : {}),
          ...(args.options ? { runOptions: args.options } : {}),
          resolveTemplate: async (key) => ({ ...args.plan, key }),
        });
      let { outcome } = await run();
      // A history names no step: when two call steps share an activity, which one ran is learnt
      // from the dry run itself (the n-th call it schedules answers the n-th recorded one), again
      // until nothing changes.
      for (let round = 0; round < recorded.callAnswers.length; round++) {
        const calls = outcome.activities.filter((call) => !call.engine);
        let changed = false;
        recorded.callAnswers.forEach((recordedCall, index) => {
          const stepId = calls[index]?.activity === recordedCall.activity ? calls[index]!.stepId : null;
          if (stepId && stepId !== recordedCall.stepId) {
            recordedCall.stepId = stepId;
            changed = true;
          }
        });
        if (!changed) break;
        recorded.scenario.activities = answersByStep(recorded.callAnswers);
        ({ outcome } = await run());
      }
      const issued = outcome.activities
        .filter((call) => !call.local)
        .map((call) => ({ activity: call.activity, params: call.params }));
      const heldAt = outcome.state?.incidents?.[0] ?? null;
      if (heldAt && recorded.end.status === 'failed') {
        // Recorded before incidents: that run failed where a run today holds the step for an
        // operator (the replay test keeps those histories failing); the same path up to there.
        expect(heldAt.code).toBe(recorded.end.code);
        const upToIncident = recorded.activities.slice(0, issued.length);
        expect(normalised(issued as unknown as Json)).toEqual(normalised(upToIncident as unknown as Json));
        return;
      }
      expect({ heldAt }).toEqual({ heldAt: null });
      expect(normalised(issued as unknown as Json)).toEqual(normalised(recorded.activities as unknown as Json));
      if (recorded.end.status === 'terminated') {
        expect(outcome.status).toBe('waiting');
      } else if (recorded.end.status === 'unfinished') {
        // Recorded mid-decision: the activities above are all the history says.
      } else {
        expect(outcome.status).toBe(recorded.end.status);
      }
      if (recorded.end.status === 'completed') expect(outcome.result).toEqual(recorded.end.result);
      if (recorded.end.status === 'failed') expect(outcome.error?.code).toBe(recorded.end.code);
    });
  }
});
