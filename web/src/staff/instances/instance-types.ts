import type { ProcessPlan } from '../../../../dsl/plan';

export type InstanceStatus = 'running' | 'incident' | 'completed' | 'failed' | 'cancelled';

/** GET /instances items. */
export interface InstanceItem {
  id: string;
  templateKey: string;
  version: number;
  businessKey: string | null;
  parentId: string | null;
  status: InstanceStatus;
  startedAt: string;
  endedAt: string | null;
  currentSteps: string[];
  incidentCount?: number;
  error?: unknown;
}

export interface Incident {
  activityId: string;
  activityType: string;
  attempt: number;
  message: string;
  firstFailedAt: string;
  lastFailedAt: string;
}

/** A step held in incident: it waits for an operator to retry it, fail or cancel the instance. */
export interface StepIncident {
  stepId: string;
  failedStepId: string;
  path: string;
  iteration: string;
  code: string;
  message: string;
  since: string;
}

/** GET /instances/:id. */
export interface InstanceDetail extends InstanceItem {
  templateName: string | null;
  plan: ProcessPlan | null;
  incidents: Incident[];
  stepIncidents?: StepIncident[];
  temporalUrl: string;
  allowed: { cancel: boolean; sendEvent: boolean; retry: boolean; editVariables?: boolean; fail?: boolean };
  result?: unknown;
}

export interface TimelineItem {
  seq: number;
  at: string;
  type: string;
  stepId: string | null;
  path: string | null;
  detail?: unknown;
}

/** GET /instances/:id/state. */
export interface InstanceStateAnswer {
  status: InstanceStatus;
  source: 'workflow' | 'projection';
  visibility: 'full' | 'structure';
  currentSteps: string[];
  vars: Record<string, unknown> | null;
  steps: Record<string, unknown> | null;
  tasks: {
    taskId: string;
    stepId: string;
    title: string;
    assignee: string | null;
    candidateRole: string | null;
    dueAt: string | null;
    priority: string;
    escalationLevel: number;
  }[];
  events: {
    received: { event: string; eventId: string; at: string }[];
    /** Arrived while no receive could take them: dropped. Absent from servers before the receive windows. */
    ignored?: { event: string; eventId: string; at: string }[];
    buffered: { event: string; eventId: string; payload?: unknown }[];
  };
  timers: {
    kind: 'wait' | 'receive-timeout' | 'task-due';
    stepId: string;
    path: string | null;
    fireAt: string | null;
  }[];
}
