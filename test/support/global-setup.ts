import pino from 'pino';
import { startEphemeralEnvironment, type EphemeralEnvironment } from '../../runtime/ephemeral-environment';
import { ensureWebBuild } from '../../runtime/web-build';
import { TEST_ENV } from './test-env';

/**
 * One Temporal dev server, one PostgreSQL and one SMTP sink for the whole run (or the servers
 * TEMPORAL_ADDRESS / DATABASE_URL name). Test files find them through the environment, which
 * jest's workers inherit; the teardown reads the handle from globalThis (same process).
 *
 * The web app is built meanwhile when its sources changed, so the browser tests and the start
 * test find it ready instead of each waiting for a build inside their own time limits.
 */
export default async function globalSetup(): Promise<void> {
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'warn' });
  const [environment, web] = await Promise.all([
    startEphemeralEnvironment(logger),
    ensureWebBuild({ info: (m) => logger.info(m), warn: (m) => logger.warn(m) }),
  ]);
  if (web.status === 'failed') logger.error(`the web app could not be built; its tests will fail: ${web.reason}`);
  (globalThis as { __testEnvironment?: EphemeralEnvironment }).__testEnvironment = environment;
  process.env[TEST_ENV] = JSON.stringify(environment.addresses);
}
