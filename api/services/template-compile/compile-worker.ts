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

const WARM_UP = `key: warm-up
name: Warm up
input: { type: object, properties: { amount: { type: number }, items: { type: array, items: { type: string } } } }
steps:
  - id: decide
    switch:
      - when: =input.amount > 100
        do:
          - id: approve
            task: { title: '="Approve " + string(input.amount)', assignee: u-1, outcomes: [yes, no], due: P1D }
      - otherwise:
          - { id: note, set: { small: true } }
  - id: each
    forEach: { items: =input.items, steps: [{ id: mark, set: { last: =item } }] }
`;

// The first compile of a thread pays for loading and optimising the compiler; do it before
// saying ready, so that it does not count against a designer's time budget.
compile({ source: WARM_UP, calls: {} });
port.postMessage({ kind: 'ready' } satisfies CompileWorkerMessage);
