import type { EnvironmentAddresses } from '../../runtime/ephemeral-environment';

/** The servers the global setup started (or was pointed at), shared with every test file. */
export type TestServers = EnvironmentAddresses;

export const TEST_ENV = 'CRM_ENGINE_TEST_SERVERS';

export function testServers(): TestServers {
  const text = process.env[TEST_ENV];
  if (!text)
    throw new Error(`${TEST_ENV} is not set: run the tests through jest, whose global setup starts the servers`);
  return JSON.parse(text) as TestServers;
}

/**
 * A file holding the interpreter's workflow bundle, built once by the global setup: bundling takes
 * seconds, and every test file running a worker would otherwise build its own (jest gives each
 * file a fresh module registry, so the in-process cache of simulator/workflow-bundle.ts is empty).
 */
export const TEST_WORKFLOW_BUNDLE = 'CRM_ENGINE_TEST_WORKFLOW_BUNDLE';
