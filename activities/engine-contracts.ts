import type { CandidatesPlan, FormSchema, Json, ProcessPlan, TaskPriority } from '../dsl/plan';
import type { InstanceStatus, TaskCompletion, TaskView, TimelineEntry } from '../workflows/messages';

/**
 * Parameters and results of the engine's own activities (projections, tasks, templates).
 * Workflows import these as types only; activities/engine/*.ts implement them. Every one is
 * idempotent: instance + seq, task id and event keys are unique in PostgreSQL.
 */

/** Upserts the instance row and appends timeline entries (unique on instance id + seq). */
export interface ProjectInstanceParams {
  instanceId: string;
  templateKey: string;
  version: number;
  businessKey: string | null;
  parentInstanceId: string | null;
  status: InstanceStatus;
  startedAt: string;
  endedAt: string | null;
  currentSteps: string[];
  result?: Json;
  error?: { code: string; message: string } | null;
  timeline: TimelineEntry[];
  /**
   * The timeline position this snapshot is current as of; defaults to the highest `seq` in
   * `timeline`. A projection older than the stored one (a late retry) only adds its timeline
   * entries; a terminal status is never replaced.
   */
  snapshotSeq?: number;
}

export interface ProjectInstanceResult {
  /** False when the stored row was newer or already terminal (its timeline entries still count). */
  applied: boolean;
  /** The status the row has now. */
  status: InstanceStatus;
  /** Timeline entries this call added (0 on a retry). */
  timelineAdded: number;
}

/** Candidates and values already rendered by the workflow (no expressions left). */
export interface ResolvedCandidates {
  role: string | null;
  users: string[];
  where: Record<string, Json>;
}

export interface OpenTaskParams {
  taskId: string;
  instanceId: string;
  templateKey: string;
  stepId: string;
  title: string;
  description: string | null;
  assignee: string | null;
  candidates: ResolvedCandidates;
  outcomes: string[];
  form: FormSchema | null;
  priority: TaskPriority;
  dueAt: string | null;
  /** Notify the assignee / candidates by mail (through the outbox, once). */
  notify: boolean;
}

/** The workflow's record of the completion is what the projection stores. */
export type CompleteTaskParams = TaskCompletion;

export type TaskChange =
  | { type: 'claimed'; by: string }
  | { type: 'delegated'; by: string; to: string }
  | { type: 'reminded'; count: number }
  /**
   * `assignee`: undefined keeps it, null unassigns; `candidates` replaces them and, unless an
   * assignee is given too, unassigns the task so the new candidates see it. `notify`: user ids
   * (mailed at their address) or e-mail addresses.
   */
  | { type: 'escalated'; level: number; assignee?: string | null; candidates?: ResolvedCandidates; priority?: TaskPriority; notify?: string[] }
  | { type: 'cancelled'; reason: string };

export interface UpdateTaskParams {
  taskId: string;
  /** Idempotency: one event per (taskId, eventKey). */
  eventKey: string;
  at: string;
  change: TaskChange;
}

/** What openTask, completeTask and updateTask return: the task as the projection now holds it. */
export type TaskProjection = TaskView;

export interface ResolveTemplateParams {
  key: string;
}

export type ResolveTemplateResult = ProcessPlan;

export type { CandidatesPlan };
