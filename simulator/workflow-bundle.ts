import path from 'node:path';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

const bundles = new Map<string, Promise<WorkflowBundleWithSourceMap>>();

/**
 * Modules evaluated once per workflow thread instead of once per workflow run. With the SDK's
 * reusable V8 context every run evaluates its own copy of the bundle's modules (so that module
 * state never leaks between runs); the CEL library's registry and the interpreter's expression
 * cache are pure and deterministic (a parse depends only on the expression's text), so sharing them
 * spares each run building CEL's standard library and parsing its template's expressions again.
 * The SDK freezes what these modules export; nothing here writes to it.
 */
export function sharedWorkflowModules(projectRoot = process.cwd()): string[] {
  return ['@marcbachmann/cel-js', path.join(projectRoot, 'dsl', 'cel', 'evaluate.ts')];
}

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
      preloadModules: sharedWorkflowModules(projectRoot),
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
    });
    // A failed build is not kept: the next caller tries again.
    bundle.catch(() => bundles.delete(projectRoot));
    bundles.set(projectRoot, bundle);
  }
  return bundle;
}
