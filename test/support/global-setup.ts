import pino from 'pino';
import { startEphemeralEnvironment, type EphemeralEnvironment } from '../../runtime/ephemeral-environment';
import { TEST_ENV } from './test-env';

/**
 * One Temporal dev server, one PostgreSQL and one SMTP sink for the whole run (or the servers
 * TEMPORAL_ADDRESS / DATABASE_URL name). Test files find them through the environment, which
 * jest's workers inherit; the teardown reads the handle from globalThis (same process).
 */
export default async function globalSetup(): Promise<void> {
  const environment = await startEphemeralEnvironment(pino({ level: process.env.TEST_LOG_LEVEL ?? 'warn' }));
  (globalThis as { __testEnvironment?: EphemeralEnvironment }).__testEnvironment = environment;
  process.env[TEST_ENV] = JSON.stringify(environment.addresses);
}
