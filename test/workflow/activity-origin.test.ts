import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { activityOrigin, type ActivityOrigin } from '../../activities/activity-origin';
import { activityOriginInterceptor } from '../../runtime/activity-origin-interceptor';
import { call, definePlan } from './support/plans';
import { startProcessHarness, type ProcessHarness } from './support/process-harness';

/**
 * What a workflow tells each activity about its instance in headers, as the product's worker reads
 * them (runtime/activity-origin-interceptor.ts): the run of its start event and its template.
 */
describe('activity origin headers', () => {
  let harness: ProcessHarness;
  const seen: (ActivityOrigin | null)[] = [];
  beforeAll(async () => {
    harness = await startProcessHarness({
      interceptors: { activity: [activityOriginInterceptor] },
      activities: {
        'test.origin': async () => {
          seen.push(activityOrigin() ?? null);
          return {};
        },
      },
    });
  });
  afterAll(async () => {
    await harness?.teardown();
  });

  it("names the instance's template (its TemplateKey search attribute) and its start run to every activity", async () => {
    const plan = definePlan('origin-probe', [call('first', 'test.origin'), call('second', 'test.origin')]);
    const handle = await harness.start(plan);
    await handle.result();
    expect(seen).toEqual([
      { originalRunId: handle.firstExecutionRunId, templateKey: 'origin-probe' },
      { originalRunId: handle.firstExecutionRunId, templateKey: 'origin-probe' },
    ]);
  });
});
