import { parentPort, workerData } from 'node:worker_threads';
import { compileTemplate } from '../../../dsl/compile';
import { toLocated } from '../../../dsl/diagnostics';
import type { CompileJob, CompileWorkerData, CompileWorkerMessage } from './messages';

const data = workerData as CompileWorkerData;
const port = parentPort!;

function compile(job: Pick<CompileJob, 'source' | 'roles' | 'calls'>) {
  return compileTemplate(job.source, {
    catalog: data.catalog,
    ...(job.roles ? { roles: job.roles } : {}),
    resolveTemplateCalls: (key) => (Object.hasOwn(job.calls, key) ? job.calls[key] : undefined),
    ...(data.limits ? { limits: data.limits } : {}),
    ...(data.runtimeLimits ? { runtimeLimits: data.runtimeLimits } : {}),
  });
}

port.on('message', (job: CompileJob) => {
  let reply: CompileWorkerMessage;
  try {
    const { plan, diagnostics } = compile(job);
    const located = diagnostics.map((diagnostic) => toLocated(diagnostic, job.source));
    reply = { kind: 'compiled', id: job.id, ...(plan ? { plan } : {}), diagnostics: located };
  } catch (error) {
    reply = { kind: 'failed', id: job.id, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});

// The first compile of a thread pays for loading and optimising the compiler; do it before
// saying ready, so that it does not count against a designer's time budget.
compile({ source: 'key: warm-up\nname: Warm up\nsteps:\n  - set: { x: "=1 + 1" }\n', calls: {} });
port.postMessage({ kind: 'ready' } satisfies CompileWorkerMessage);
