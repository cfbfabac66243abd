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
