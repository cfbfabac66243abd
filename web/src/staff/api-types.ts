/* The API's answers as the staff app reads them (the app ships with its API: no field is missing). */

export type TaskStatus = 'open' | 'completed' | 'cancelled';
export type TaskPriority = 'low' | 'normal' | 'high' | 'urgent';
export const PRIORITIES: TaskPriority[] = ['low', 'normal', 'high', 'urgent'];

export interface Me {
  id: string;
  name: string;
  email: string;
  roles: string[];
  rights: string[];
  locale: 'en' | 'zh-CN' | null;
  managerId?: string | null;
}

export interface Task {
  id: string;
  instanceId: string;
  templateKey: string;
  templateName: string;
  businessKey: string | null;
  stepId: string;
  title: string;
  description: string | null;
  assignee: string | null;
  assigneeName: string | null;
  candidateRole: string | null;
  candidateUsers: string[];
  outcomes: string[];
  outcomeLabels: Record<string, string>;
  needsForm: boolean;
  form: Record<string, unknown> | null;
  priority: TaskPriority;
  dueAt: string | null;
  status: TaskStatus;
  outcome: string | null;
  formData: Record<string, unknown> | null;
  comment: string | null;
  completedBy: string | null;
  completedByName: string | null;
  completedAt: string | null;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface TaskCounts {
  mine?: number;
  queue?: number;
  unassigned?: number;
  done?: number;
  changedAt?: string | null;
}

export interface BulkResult {
  results: { id: string; ok: boolean; status?: number; problem?: { type: string; title: string; detail?: string } }[];
}

export interface SavedView {
  id: string;
  name: string;
  query: string;
  shared: boolean;
  ownerId: string;
  ownerName?: string | null;
  createdAt: string;
}

export interface HistoryItem {
  at: string;
  type: string;
  actor: string | null;
  actorName: string | null;
  detail?: unknown;
}

export interface TimelineEntry {
  seq: number;
  at: string;
  type: string;
  stepId: string | null;
  path: string | null;
  detail?: unknown;
}

export interface Delegate {
  id: string;
  name: string;
  email?: string | null;
}

/** The label of an outcome: the localized one from the API, else the outcome id itself. */
export const outcomeLabel = (task: Pick<Task, 'outcomeLabels'>, outcome: string): string =>
  task.outcomeLabels[outcome] ?? outcome;
