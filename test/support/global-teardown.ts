import { rm } from 'node:fs/promises';
import type { EphemeralEnvironment } from '../../runtime/ephemeral-environment';
import { TEST_WORKFLOW_BUNDLE } from './test-env';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __testEnvironment?: EphemeralEnvironment }).__testEnvironment?.stop();
  const bundleFile = process.env[TEST_WORKFLOW_BUNDLE];
  if (bundleFile) await rm(bundleFile, { force: true });
}
