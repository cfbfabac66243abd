import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as { __testServers?: { stop(): Promise<void> }[] }).__testServers ?? [];
  // Stop in reverse start order; one failing stop must not leave the others running.
  await Promise.allSettled(started.reverse().map((s) => s.stop()));
  const workDir = (globalThis as { __testWorkDir?: string }).__testWorkDir;
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
}
