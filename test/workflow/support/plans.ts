import type {
  CallStep,
  EndStep,
  Expr,
  FailStep,
  ForEachStep,
  ParallelStep,
  ProcessPlan,
  ProcessStep,
  ReceiveStep,
  RepeatStep,
  RetryPlan,
  SetStep,
  StepPlan,
  SwitchStep,
  TaskStep,
  ValueTemplate,
  WaitStep,
} from '../../../dsl/plan';

/**
 * ProcessPlan objects written by hand, as the compiler (dsl/, not ready yet) will emit them.
 * Step constructors leave `path` empty; `definePlan` fills it in template order.
 */
export const expr = (source: string): Expr => ({ $expr: source });

export const FAST_RETRY: RetryPlan = {
  maximumAttempts: 3,
  initialIntervalMs: 10,
  backoffCoefficient: 1,
  maximumIntervalMs: 10,
};

type Extra<S extends StepPlan> = Partial<Omit<S, 'kind' | 'id'>>;

export const call = (
  id: string,
  activity: string,
  params: ValueTemplate = {},
  extra: Extra<CallStep> = {},
): CallStep => ({ kind: 'call', id, path: '', activity, with: params, timeoutMs: 10_000, retry: FAST_RETRY, ...extra });

export const task = (id: string, extra: Extra<TaskStep> = {}): TaskStep => ({
  kind: 'task',
  id,
  path: '',
  title: `Task ${id}`,
  outcomes: ['approved', 'rejected'],
  priority: 'normal',
  ...extra,
});

export const set = (id: string, vars: SetStep['vars'], extra: Extra<SetStep> = {}): SetStep => ({
  kind: 'set',
  id,
  path: '',
  vars,
  ...extra,
});

export const end = (id: string, result?: ValueTemplate): EndStep => ({
  kind: 'end',
  id,
  path: '',
  ...(result === undefined ? {} : { result }),
});

export const fail = (
  id: string,
  code: string,
  message: ValueTemplate = `failed: ${code}`,
  extra: Extra<FailStep> = {},
): FailStep => ({ kind: 'fail', id, path: '', code, message, ...extra });

export const wait = (id: string, extra: Extra<WaitStep>): WaitStep => ({ kind: 'wait', id, path: '', ...extra });

export const receive = (id: string, event: string, extra: Extra<ReceiveStep> = {}): ReceiveStep => ({
  kind: 'receive',
  id,
  path: '',
  event,
  ...extra,
});

export const child = (
  id: string,
  template: string,
  input: ValueTemplate,
  extra: Extra<ProcessStep> = {},
): ProcessStep => ({ kind: 'process', id, path: '', template, input, wait: true, ...extra });

export const switchOn = (id: string, cases: SwitchStep['cases'], otherwise?: StepPlan[]): SwitchStep => ({
  kind: 'switch',
  id,
  path: '',
  cases,
  ...(otherwise ? { otherwise } : {}),
});

export const parallel = (
  id: string,
  mode: ParallelStep['mode'],
  branches: ParallelStep['branches'],
  n?: number,
): ParallelStep => ({ kind: 'parallel', id, path: '', mode, branches, ...(n === undefined ? {} : { n }) });

export const forEach = (
  id: string,
  items: Expr,
  as: string,
  steps: StepPlan[],
  extra: Extra<ForEachStep> = {},
): ForEachStep => ({ kind: 'forEach', id, path: '', items, as, concurrent: false, steps, ...extra });

export const repeat = (id: string, steps: StepPlan[], until: Expr, maxIterations: number): RepeatStep => ({
  kind: 'repeat',
  id,
  path: '',
  steps,
  until,
  maxIterations,
});

export function definePlan(key: string, steps: StepPlan[], extra: Partial<ProcessPlan> = {}): ProcessPlan {
  const plan: ProcessPlan = {
    planVersion: 1,
    key,
    name: key,
    version: 1,
    hash: `test-${key}`,
    inputSchema: { type: 'object' },
    triggers: [],
    vars: {},
    ...extra,
    steps: structuredClone(steps),
  };
  assignPaths(plan.steps, 'steps');
  if (plan.onFailure) assignPaths(plan.onFailure, 'onFailure');
  return plan;
}

function assignPaths(steps: StepPlan[], prefix: string): void {
  steps.forEach((step, index) => {
    const path = `${prefix}[${index}]`;
    step.path = path;
    if (step.onError) assignPaths(step.onError.steps, `${path}.onError`);
    switch (step.kind) {
      case 'call':
        if (step.compensate) assignPaths(step.compensate, `${path}.compensate`);
        break;
      case 'switch':
        step.cases.forEach((branch, caseIndex) => assignPaths(branch.steps, `${path}.switch[${caseIndex}].do`));
        if (step.otherwise) assignPaths(step.otherwise, `${path}.otherwise`);
        break;
      case 'parallel':
        step.branches.forEach((branch, b) => assignPaths(branch.steps, `${path}.parallel[${b}].steps`));
        break;
      case 'forEach':
        assignPaths(step.steps, `${path}.forEach.steps`);
        break;
      case 'repeat':
        assignPaths(step.steps, `${path}.repeat.steps`);
        break;
      case 'receive':
        if (step.onTimeout) assignPaths(step.onTimeout, `${path}.onTimeout`);
        break;
      default:
        break;
    }
  });
}
