import type { Json } from '../dsl/plan';
import { projectInstance } from './engine-activities';
import type { StepError } from './failure';
import type { ProcessInstance } from './process-instance';

export interface ProjectionEnd {
  result?: Json;
  error?: StepError;
}

/**
 * Sends the instance row and the timeline entries gathered since the last flush in ONE local
 * activity. Called at start, before every blocking wait (task, wait, receive, child, a task's
 * timer round) and at the end, never per step: steps between waits cost no extra activity.
 */
export async function flushProjection(instance: ProcessInstance, end?: ProjectionEnd): Promise<void> {
  const timeline = instance.timeline.takePending();
  const finished = instance.status !== 'running' && instance.status !== 'incident';
  const incident = instance.incidents.first();
  try {
    await projectInstance({
      instanceId: instance.info.id,
      templateKey: instance.info.templateKey,
      version: instance.info.version,
      businessKey: instance.info.businessKey,
      parentInstanceId: instance.parentInstanceId,
      status: instance.status,
      startedAt: instance.info.startedAt,
      endedAt: finished ? new Date().toISOString() : null,
      currentSteps: instance.currentSteps(),
      ...(end?.result !== undefined ? { result: end.result } : {}),
      error:
        end?.error ??
        (incident
          ? {
              code: incident.code,
              message: incident.message,
              stepId: incident.stepId,
              path: incident.path,
              since: incident.since,
            }
          : null),
      timeline,
      // Current as of every entry so far, even those an earlier (concurrent) flush carries.
      snapshotSeq: instance.timeline.lastSeq,
    });
  } catch (error) {
    instance.timeline.restore(timeline);
    throw error;
  }
}

/** A flush before a wait that is skipped when nothing is new since the last one. */
export async function flushIfPending(instance: ProcessInstance): Promise<void> {
  if (instance.timeline.hasPending()) await flushProjection(instance);
}
