import type { CandidatesPlan, EscalationPlan, Json, TaskPriority } from '../dsl/plan';
import type { ResolvedCandidates, TaskChange } from '../contracts/engine';
import type { Frame } from './frame';
import type { ProcessInstance } from './process-instance';
import type { TaskRecord } from './task-book';
import type { TaskTiming } from './task-timing';

/** One timer of a waiting task, counted from the moment the task opened. */
export type TaskTimer =
  | { afterMs: number; type: 'remind'; count: number }
  | { afterMs: number; type: 'escalate'; level: number; plan: EscalationPlan };

/**
 * The reminder series (`remind.everyMs` × `times`) and the escalation ladder merged into one
 * list in time order; at equal times the reminder goes first, so the escalation's notice is the
 * last word.
 */
export function taskTimers(timing: TaskTiming): TaskTimer[] {
  const timers: TaskTimer[] = [];
  if (timing.remind && timing.remind.everyMs > 0) {
    for (let count = 1; count <= timing.remind.times; count++)
      timers.push({ afterMs: timing.remind.everyMs * count, type: 'remind', count });
  }
  timing.escalate.forEach(({ afterMs, plan }, index) =>
    timers.push({ afterMs, type: 'escalate', level: index + 1, plan }),
  );
  return timers.sort((a, b) => a.afterMs - b.afterMs);
}

/** Applies a due timer to the workflow's TaskView and returns the change to project. */
export function applyTimer(instance: ProcessInstance, record: TaskRecord, timer: TaskTimer, frame: Frame): TaskChange {
  const { view } = record;
  if (timer.type === 'remind') {
    view.remindersSent = timer.count;
    return { type: 'reminded', count: timer.count };
  }
  const change: Extract<TaskChange, { type: 'escalated' }> = { type: 'escalated', level: timer.level };
  const { reassign, raisePriority, notify } = timer.plan;
  if (reassign?.user !== undefined) {
    const user = asText(instance.render(reassign.user, frame));
    // Four-eyes: an excluded person is never the assignee; the task stays with its candidates.
    change.assignee = user !== null && record.excluded.includes(user) ? null : user;
  }
  if (reassign?.candidates) {
    change.candidates = resolveCandidates(instance, reassign.candidates, frame);
    if (reassign.user === undefined) change.assignee = null;
  }
  if (raisePriority) change.priority = raisePriority;
  if (notify !== undefined) change.notify = asList(instance.render(notify, frame));
  view.escalationLevel = timer.level;
  if (change.assignee !== undefined) view.assignee = change.assignee;
  if (change.candidates) {
    view.candidateRole = change.candidates.role;
    view.candidateUsers = change.candidates.users;
  }
  if (change.priority) view.priority = change.priority;
  return change;
}

export function resolveCandidates(
  instance: ProcessInstance,
  plan: CandidatesPlan | undefined,
  frame: Frame,
): ResolvedCandidates {
  const where: Record<string, Json> = {};
  for (const [name, template] of Object.entries(plan?.where ?? {})) where[name] = instance.render(template, frame);
  return {
    role: plan?.role === undefined ? null : asText(instance.render(plan.role, frame)),
    users: plan?.users === undefined ? [] : asList(instance.render(plan.users, frame)),
    where,
  };
}

const PRIORITIES: TaskPriority[] = ['low', 'normal', 'high', 'urgent'];

export function asPriority(value: Json): TaskPriority | null {
  return PRIORITIES.find((priority) => priority === value) ?? null;
}

export function asText(value: Json): string | null {
  return value === null ? null : typeof value === 'string' ? value : JSON.stringify(value);
}

export function asList(value: Json): string[] {
  if (value === null) return [];
  if (Array.isArray(value)) return value.filter((item) => item !== null).map((item) => asText(item) ?? '');
  return [asText(value) ?? ''];
}
