import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startEphemeralEnvironment, type EphemeralEnvironment } from '../../runtime/ephemeral-environment';
import { ensureWebBuild } from '../../runtime/web-build';
import { bundleWorkflows } from '../../simulator/workflow-bundle';
import { TEST_ENV, TEST_WORKFLOW_BUNDLE } from './test-env';

/**
 * One Temporal dev server, one PostgreSQL and one SMTP sink for the whole run (or the servers
 * TEMPORAL_ADDRESS / DATABASE_URL name). Test files find them through the environment, which
 * jest's workers inherit; the teardown reads the handle from globalThis (same process).
 *
 * The web app is built meanwhile when its sources changed, so the browser tests and the start
 * test find it ready instead of each waiting for a build inside their own time limits; and the
 * workflow bundle is built once for every test file's workers (a file in the temp folder).
 */
export default async function globalSetup(): Promise<void> {
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'warn' });
  const [environment, web, bundleFile] = await Promise.all([
    startEphemeralEnvironment(logger),
    ensureWebBuild({ info: (m) => logger.info(m), warn: (m) => logger.warn(m) }),
    writeWorkflowBundle(),
  ]);
  if (web.status === 'failed') logger.error(`the web app could not be built; its tests will fail: ${web.reason}`);
  (globalThis as { __testEnvironment?: EphemeralEnvironment }).__testEnvironment = environment;
  process.env[TEST_ENV] = JSON.stringify(environment.addresses);
  process.env[TEST_WORKFLOW_BUNDLE] = bundleFile;
}

async function writeWorkflowBundle(): Promise<string> {
  const file = join(tmpdir(), `crm-engine-workflow-bundle-${process.pid}.json`);
  await writeFile(file, JSON.stringify(await bundleWorkflows()));
  return file;
}
