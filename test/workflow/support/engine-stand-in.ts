import { ApplicationFailure } from '@temporalio/common';
import type {
  CompleteTaskParams,
  OpenTaskParams,
  ProjectInstanceParams,
  ResolveTemplateParams,
  UpdateTaskParams,
} from '../../../contracts/engine';
import type { ProcessPlan } from '../../../dsl/plan';
import type { TimelineEntry } from '../../../contracts/engine';

/**
 * STAND-IN for the engine activities (activities/engine/, built in parallel): same names and
 * params, kept in memory so the tests can assert what the interpreter asked for, in order.
 * Temporal is real (the time-skipping test server); only these side effects are stand-ins.
 */
export interface EngineParams {
  'engine.projectInstance': ProjectInstanceParams;
  'engine.openTask': OpenTaskParams;
  'engine.completeTask': CompleteTaskParams;
  'engine.updateTask': UpdateTaskParams;
  'engine.resolveTemplate': ResolveTemplateParams;
}

export type EngineCall = { [N in keyof EngineParams]: { name: N; params: EngineParams[N] } }[keyof EngineParams];

export interface ProjectedInstance {
  latest: ProjectInstanceParams;
  timeline: TimelineEntry[];
  flushes: number;
}

export class EngineStandIn {
  readonly calls: EngineCall[] = [];
  readonly templates = new Map<string, ProcessPlan>();
  readonly instances = new Map<string, ProjectedInstance>();

  readonly activities = {
    'engine.projectInstance': async (params: ProjectInstanceParams): Promise<void> => {
      this.calls.push({ name: 'engine.projectInstance', params: structuredClone(params) });
      const projected = this.instances.get(params.instanceId) ?? { latest: params, timeline: [], flushes: 0 };
      // Idempotent on instance + seq, like the real projection.
      const known = new Set(projected.timeline.map((entry) => entry.seq));
      projected.timeline.push(...params.timeline.filter((entry) => !known.has(entry.seq)));
      projected.timeline.sort((a, b) => a.seq - b.seq);
      projected.latest = structuredClone(params);
      projected.flushes++;
      this.instances.set(params.instanceId, projected);
    },
    'engine.openTask': async (params: OpenTaskParams): Promise<{ taskId: string }> => {
      this.calls.push({ name: 'engine.openTask', params: structuredClone(params) });
      return { taskId: params.taskId };
    },
    'engine.completeTask': async (params: CompleteTaskParams): Promise<void> => {
      this.calls.push({ name: 'engine.completeTask', params: structuredClone(params) });
    },
    'engine.updateTask': async (params: UpdateTaskParams): Promise<void> => {
      this.calls.push({ name: 'engine.updateTask', params: structuredClone(params) });
    },
    'engine.resolveTemplate': async (params: ResolveTemplateParams): Promise<ProcessPlan> => {
      this.calls.push({ name: 'engine.resolveTemplate', params: structuredClone(params) });
      const plan = this.templates.get(params.key);
      if (!plan)
        throw ApplicationFailure.create({
          type: 'template.unknown',
          message: `no template ${params.key}`,
          nonRetryable: true,
        });
      return plan;
    },
  };

  /** Calls of one kind whose params mention the instance (instance id or task id prefix). */
  callsOf<N extends keyof EngineParams>(name: N, instanceId: string): EngineParams[N][] {
    return this.calls
      .filter((call) => call.name === name && belongsTo(call.params, instanceId))
      .map((call) => call.params as EngineParams[N]);
  }

  projection(instanceId: string): ProjectedInstance {
    const projected = this.instances.get(instanceId);
    if (!projected) throw new Error(`instance ${instanceId} was never projected`);
    return projected;
  }
}

function belongsTo(params: object, instanceId: string): boolean {
  const record = params as { instanceId?: string; taskId?: string; key?: string };
  if (record.instanceId !== undefined) return record.instanceId === instanceId;
  if (record.taskId !== undefined) return record.taskId.startsWith(`${instanceId}:`);
  return true;
}
