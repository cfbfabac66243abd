import type { WorkflowCreator } from '@temporalio/worker/lib/workflow/interface';
import { ReusableVMWorkflowCreator } from '@temporalio/worker/lib/workflow/reusable-vm';
import { parseWorkflowCode } from '@temporalio/worker/lib/worker';
import { bundleWorkflows } from './workflow-bundle';

/**
 * The interpreter's bundle loaded into ONE reusable V8 context of @temporalio/worker (the runtime
 * the worker's debug mode runs workflows in), built on first use and kept for the process:
 * bundling takes seconds, creating a workflow in the loaded context well under a millisecond.
 */
let creator: Promise<WorkflowCreator> | undefined;

/** Longest one activation may run synchronously (an interpreter loop that never awaits). */
export const ACTIVATION_TIMEOUT_MS = 2_000;

export function workflowCreator(): Promise<WorkflowCreator> {
  creator ??= createWorkflowCreator().catch((error: unknown) => {
    creator = undefined;
    throw error;
  });
  return creator;
}

async function createWorkflowCreator(): Promise<WorkflowCreator> {
  const bundle = await bundleWorkflows();
  // As the Worker does: the source map comes out of the code, the file name out of the map.
  // Activity names are checked only for local activities: the engine's projection is the one.
  return ReusableVMWorkflowCreator.create(
    parseWorkflowCode(bundle.code),
    ACTIVATION_TIMEOUT_MS,
    new Set(['engine.projectInstance']),
  );
}
