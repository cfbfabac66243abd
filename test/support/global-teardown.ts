import type { EphemeralEnvironment } from '../../runtime/ephemeral-environment';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __testEnvironment?: EphemeralEnvironment }).__testEnvironment?.stop();
}
