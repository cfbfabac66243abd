import type { FormSchema, Json, LocalizedText, ProcessPlan, TaskPriority } from '../dsl/plan';
import type { Locale } from '../dsl/locales';

/*
 * The vocabulary the interpreter (workflows/), the engine's activities (activities/engine/) and the
 * data layer (db/) share about instances and tasks: statuses, actors, the task as the workflow
 * knows it, timeline entries, and the parameters and results of the engine's own activities.
 * It imports only the plan's types, so every layer can depend on it and it on none of them.
 */

/** `incident`: a step failed with nobody to handle it and waits for an operator (retry, fail, cancel). */
export type InstanceStatus = 'running' | 'incident' | 'completed' | 'failed' | 'cancelled';

/** A step held in incident (workflows/incidents.ts), as the state query and the instance row show it. */
export interface IncidentView {
  /** The step held: it runs again on retry. */
  stepId: string;
  /** The innermost step the failure came from (the held step itself, or a step nested in it). */
  failedStepId: string;
  path: string;
  /** `0` outside loops, else the loop counters joined by dots. */
  iteration: string;
  code: string;
  message: string;
  since: string;
}

export interface Actor {
  userId: string;
  roles: string[];
  /** How people call them; mails and texts name people, never their ids. Absent in older histories. */
  name?: string;
}

export type TaskStatus = 'open' | 'completed' | 'cancelled';

/** A task's title and description in one locale, rendered when it opened. */
export interface TaskText {
  title: string;
  description: string | null;
}

/** Every locale's title and description, for a task whose template gives them per locale. */
export type TaskTexts = Record<Locale, TaskText>;

/** A human task as the workflow knows it (the inbox reads the PostgreSQL projection of this). */
export interface TaskView {
  /** `<instanceId>:<stepPath>@<iteration>`; stable, so projections are idempotent. */
  taskId: string;
  stepId: string;
  /** In `en` when `texts` is present. */
  title: string;
  /** Present only when the template gives the title or description per locale. */
  texts?: TaskTexts;
  assignee: string | null;
  candidateRole: string | null;
  candidateUsers: string[];
  outcomes: string[];
  priority: TaskPriority;
  dueAt: string | null;
  status: TaskStatus;
  outcome: string | null;
  remindersSent: number;
  escalationLevel: number;
}

export interface CompleteTaskArgs {
  taskId: string;
  outcome: string;
  form?: Record<string, Json>;
  comment?: string;
  actor: Actor;
}

export interface TaskCompletion {
  taskId: string;
  outcome: string;
  form: Record<string, Json>;
  comment: string | null;
  completedBy: string;
  /** The completer's name as the API knew it (their id in histories recorded before names were sent). */
  completedByName?: string;
  completedAt: string;
}

/** An event sent to one instance (POST /instances/:id/events, or the API for a business record), taken by `receive` steps. */
export interface InstanceEvent {
  event: string;
  payload: Json;
  /** Deduplicates a resent event. */
  eventId: string;
}

export interface TimelineEntry {
  seq: number;
  at: string;
  type:
    | 'instance.started'
    | 'instance.completed'
    | 'instance.failed'
    | 'instance.cancelled'
    | 'step.started'
    | 'step.completed'
    | 'step.failed'
    | 'step.skipped'
    | 'step.incident'
    | 'incident.retried'
    | 'incident.failed'
    | 'vars.changed'
    | 'task.opened'
    | 'task.reminded'
    | 'task.escalated'
    | 'task.claimed'
    | 'task.delegated'
    | 'task.released'
    | 'task.completed'
    | 'task.cancelled'
    | 'event.received'
    | 'event.ignored'
    | 'compensation.started'
    | 'compensation.completed'
    | 'continued-as-new';
  stepId?: string;
  path?: string;
  detail?: Json;
}

export interface InstanceState {
  instanceId: string;
  templateKey: string;
  version: number;
  businessKey: string | null;
  status: InstanceStatus;
  currentSteps: string[];
  vars: Record<string, Json>;
  steps: Record<string, Json>;
  tasks: TaskView[];
  /** Events received that no `receive` step has taken yet (absent from runs before it was added). */
  bufferedEvents?: InstanceEvent[];
  /** Steps held in incident, waiting for an operator (absent from runs before incidents). */
  incidents?: IncidentView[];
}

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
  /** The failure of a failed instance, or the first held step's while it is in incident. */
  error?: { code: string; message: string; stepId?: string; path?: string; since?: string } | null;
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
  /** In `en` when `texts` is present. */
  title: string;
  description: string | null;
  /** Present only when the template gives the title or description per locale. */
  texts?: TaskTexts;
  /** Present only when the template labels outcomes: the labelled ones, in every locale. */
  outcomeLabels?: Record<string, LocalizedText>;
  assignee: string | null;
  candidates: ResolvedCandidates;
  /** Four-eyes: who may not decide the task (never assigned it, never shown it in a queue). */
  excludedUsers?: string[];
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
  /** The assignee gives the task back: unassigned, in its candidates' queue again. */
  | { type: 'released'; by: string }
  | { type: 'reminded'; count: number }
  /**
   * `assignee`: undefined keeps it, null unassigns; `candidates` replaces them and, unless an
   * assignee is given too, unassigns the task so the new candidates see it. `notify`: user ids
   * (mailed at their address) or e-mail addresses.
   */
  | {
      type: 'escalated';
      level: number;
      assignee?: string | null;
      candidates?: ResolvedCandidates;
      priority?: TaskPriority;
      notify?: string[];
    }
  | { type: 'cancelled'; reason: string };

/**
 * The reason of a task cancelled because the decision it asked for is no longer needed (its
 * parallel branch or concurrent iteration was cut short): its people are told so by mail.
 */
export const TASK_WITHDRAWN = 'withdrawn';

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

/**
 * The engine's own activities as the interpreter calls them (activities/engine/ implements each
 * with these exact signatures; workflows proxy them by this type).
 */
export interface EngineActivities {
  'engine.projectInstance'(params: ProjectInstanceParams): Promise<ProjectInstanceResult>;
  'engine.openTask'(params: OpenTaskParams): Promise<TaskProjection>;
  'engine.completeTask'(params: CompleteTaskParams): Promise<TaskProjection>;
  'engine.updateTask'(params: UpdateTaskParams): Promise<TaskProjection>;
  'engine.resolveTemplate'(params: ResolveTemplateParams): Promise<ResolveTemplateResult>;
}

/**
 * The activity header carrying the run id recorded on the instance's start event (Temporal's
 * `originalExecutionRunId`): kept by a reset, new for each continue-as-new run, so activities key
 * their side effects by it and a reset run does not repeat them.
 */
export const ORIGINAL_RUN_HEADER = 'crm-original-run-id';

/**
 * The activity header naming the instance's template (its TemplateKey search attribute, absent
 * when the run has none), so each activity's log lines carry it without reading the instance row.
 */
export const TEMPLATE_KEY_HEADER = 'crm-template-key';
