import { TestWorkflowEnvironment } from '@temporalio/testing';
import { resolveTestServer } from '../../runtime/tool-paths';

/** The real time-skipping test server, from `.tools` or TEMPORAL_TEST_SERVER_PATH; never downloaded. */
export function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: resolveTestServer().path } },
  });
}
