import type { Static } from 'typebox';
import type { InstanceState, InstanceStatus, TimelineEntry } from '../../contracts/engine';
import type { Json, ProcessPlan, StepPlan } from '../../dsl/plan';
import type { InstanceStateBody } from '../schemas/instances';

type StateBody = Static<typeof InstanceStateBody>;
type Timer = StateBody['timers'][number];

/** Every step of the plan by its path, however deeply nested (switch cases, branches, loops, onError). */
function stepsByPath(plan: ProcessPlan): Map<string, StepPlan> {
  const found = new Map<string, StepPlan>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (typeof record['path'] === 'string' && typeof record['kind'] === 'string')
        found.set(record['path'], value as StepPlan);
      Object.values(record).forEach(visit);
    }
  };
  visit(plan.steps);
  if (plan.onFailure) visit(plan.onFailure);
  return found;
}

/** The steps started and not yet ended, each with when it started last (loops restart a path). */
function runningPaths(timeline: readonly TimelineEntry[]): Map<string, { stepId: string; at: string }> {
  const running = new Map<string, { stepId: string; at: string }>();
  for (const entry of timeline) {
    if (!entry.path || !entry.stepId) continue;
    if (entry.type === 'step.started') running.set(entry.path, { stepId: entry.stepId, at: entry.at });
    else if (entry.type === 'step.completed' || entry.type === 'step.failed' || entry.type === 'step.skipped')
      running.delete(entry.path);
  }
  return running;
}

/**
 * Pending timers, derived rather than asked for: a running `wait` (its duration from when it
 * started; a wait `until` an expression shows no time, the workflow alone knows it), a running
 * `receive` with a timeout, and the due date of each open task.
 */
function pendingTimers(plan: ProcessPlan | null, timeline: readonly TimelineEntry[], state: InstanceState): Timer[] {
  const timers: Timer[] = [];
  if (plan && state.status === 'running') {
    const steps = stepsByPath(plan);
    for (const [path, { stepId, at }] of runningPaths(timeline)) {
      const step = steps.get(path);
      const fireAt = (ms: number) => new Date(Date.parse(at) + ms).toISOString();
      if (step?.kind === 'wait')
        timers.push({
          kind: 'wait',
          stepId,
          path,
          fireAt: step.durationMs !== undefined ? fireAt(step.durationMs) : null,
        });
      else if (step?.kind === 'receive' && step.timeoutMs !== undefined)
        timers.push({ kind: 'receive-timeout', stepId, path, fireAt: fireAt(step.timeoutMs) });
    }
  }
  for (const task of state.tasks)
    if (task.status === 'open' && task.dueAt)
      timers.push({ kind: 'task-due', stepId: task.stepId, path: null, fireAt: task.dueAt });
  return timers.sort((a, b) => (a.fireAt ?? '\uffff').localeCompare(b.fireAt ?? '\uffff'));
}

/**
 * The answer of GET /instances/:id/state: the workflow's own state (or, when it cannot be asked,
 * the projection's status and current steps), narrowed to what the reader may see.
 */
export function instanceStateBody(options: {
  instanceId: string;
  /** The workflow's state query answer; null when it could not be asked. */
  state: InstanceState | null;
  projected: { status: InstanceStatus; currentSteps: string[] } | null;
  timeline: readonly TimelineEntry[];
  plan: ProcessPlan | null;
  full: boolean;
}): StateBody {
  const { state, timeline, full } = options;
  const eventsOf = (type: TimelineEntry['type']) =>
    timeline
      .filter((entry) => entry.type === type)
      .map((entry) => {
        const detail = (entry.detail ?? {}) as Record<string, Json>;
        return { event: String(detail['event'] ?? ''), eventId: String(detail['eventId'] ?? ''), at: entry.at };
      });
  const received = eventsOf('event.received');
  const ignored = eventsOf('event.ignored');
  const visibility = full ? ('full' as const) : ('structure' as const);
  if (!state) {
    return {
      instanceId: options.instanceId,
      status: options.projected?.status ?? 'running',
      source: 'projection',
      visibility,
      currentSteps: options.projected?.currentSteps ?? [],
      vars: null,
      steps: null,
      tasks: [],
      incidents: [],
      events: { received, ignored, buffered: [] },
      timers: [],
    };
  }
  return {
    instanceId: options.instanceId,
    status: state.status,
    source: 'workflow',
    visibility,
    currentSteps: state.currentSteps,
    vars: full ? state.vars : null,
    steps: full ? state.steps : null,
    tasks: state.tasks
      .filter((task) => task.status === 'open')
      .map((task) => ({
        taskId: task.taskId,
        stepId: task.stepId,
        title: task.title,
        assignee: task.assignee,
        candidateRole: task.candidateRole,
        dueAt: task.dueAt,
        priority: task.priority,
        escalationLevel: task.escalationLevel,
      })),
    incidents: state.incidents ?? [],
    events: {
      received,
      ignored,
      buffered: (state.bufferedEvents ?? []).map((event) => ({
        event: event.event,
        eventId: event.eventId,
        ...(full ? { payload: event.payload } : {}),
      })),
    },
    timers: pendingTimers(options.plan, timeline, state),
  };
}
