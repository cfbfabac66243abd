import { DefaultLogger } from '@temporalio/worker';
import type { WorkflowCreator } from '@temporalio/worker/lib/workflow/interface';
import { ThreadedVMWorkflowCreator } from '@temporalio/worker/lib/workflow/threaded-vm';
import { parseWorkflowCode } from '@temporalio/worker/lib/worker';
import { bundleWorkflows } from './workflow-bundle';

/**
 * The interpreter's bundle loaded into ONE worker thread of @temporalio/worker (its threaded V8
 * runtime, the one a production worker runs workflows in), built on first use and kept for the
 * process. A thread, not the API's own: an activation runs synchronously (up to
 * {@link ACTIVATION_TIMEOUT_MS}), and a designer's dry run must never stall other requests.
 * Bundling takes seconds; creating a workflow in the loaded context well under a millisecond.
 */
let creator: Promise<ThreadedVMWorkflowCreator> | undefined;

/** Longest one activation may run synchronously (an interpreter loop that never awaits). */
export const ACTIVATION_TIMEOUT_MS = 2_000;

export function workflowCreator(): Promise<WorkflowCreator> {
  creator ??= createWorkflowCreator().catch((error: unknown) => {
    creator = undefined;
    throw error;
  });
  return creator;
}

/** Ends the runtime's thread (API shutdown, end of a test file); the next dry run starts a new one. */
export async function closeWorkflowCreator(): Promise<void> {
  const running = creator;
  creator = undefined;
  if (running) await (await running.catch(() => undefined))?.destroy();
}

async function createWorkflowCreator(): Promise<ThreadedVMWorkflowCreator> {
  const bundle = await bundleWorkflows();
  // As the Worker does: the source map comes out of the code, the file name out of the map.
  // Activity names are checked only for local activities: the engine's projection is the one.
  return ThreadedVMWorkflowCreator.create({
    workflowBundle: parseWorkflowCode(bundle.code),
    threadPoolSize: 1,
    isolateExecutionTimeoutMs: ACTIVATION_TIMEOUT_MS,
    reuseV8Context: true,
    registeredActivityNames: new Set(['engine.projectInstance']),
    logger: new DefaultLogger('WARN'),
  });
}
