import path from 'node:path';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

const bundles = new Map<string, Promise<WorkflowBundleWithSourceMap>>();

/**
 * Bundles workflows/ once per process; every worker, replay and dry run reuses the result (the
 * API's dry runs and an embedded worker share one bundle instead of building it twice).
 */
export async function bundleWorkflows(projectRoot = process.cwd()): Promise<WorkflowBundleWithSourceMap> {
  let bundle = bundles.get(projectRoot);
  if (!bundle) {
    bundle = bundleWorkflowCode({
      workflowsPath: path.join(projectRoot, 'workflows', 'index.ts'),
      workflowInterceptorModules: [path.join(projectRoot, 'workflows', 'activity-origin.ts')],
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
    });
    // A failed build is not kept: the next caller tries again.
    bundle.catch(() => bundles.delete(projectRoot));
    bundles.set(projectRoot, bundle);
  }
  return bundle;
}
