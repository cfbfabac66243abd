import type { ProcessPlan } from '../../../../dsl/plan';
import { walkSteps } from '../diagram/plan-walk';
import type { Incident, TimelineItem } from './instance-types';

/**
 * The states PlanDiagram's `stepStates` take (contract C), spelt out here: this module is also
 * compiled by the root project (its unit test), which does not compile the diagram's TSX.
 */
export type StepState = 'done' | 'current' | 'waiting' | 'failed' | 'skipped';

/** Kinds whose running step waits for something outside the instance (a person, an event, time, a child). */
const WAITING_KINDS = new Set(['task', 'receive', 'wait', 'process']);

/** The id, kind and activity of every step of the plan by path (nested steps included). */
export function planSteps(plan: ProcessPlan | null): Map<string, { id: string; kind: string; activity?: string }> {
  const found = new Map<string, { id: string; kind: string; activity?: string }>();
  if (plan)
    walkSteps(plan, (step) =>
      found.set(step.path, {
        id: step.id,
        kind: step.kind,
        ...(step.kind === 'call' ? { activity: step.activity } : {}),
      }),
    );
  return found;
}

/**
 * The diagram's colours from the timeline: a step's last event decides (a loop's later iteration
 * wins); a running step is `waiting` when it waits on the outside, else `current`; a running
 * `call` of an activity with an incident is `failed`.
 */
export function stepStatesOf(
  plan: ProcessPlan | null,
  timeline: readonly TimelineItem[],
  incidents: readonly Incident[],
): Record<string, StepState> {
  const steps = planSteps(plan);
  const states: Record<string, StepState> = {};
  for (const entry of timeline) {
    if (!entry.path) continue;
    if (entry.type === 'step.started')
      states[entry.path] = WAITING_KINDS.has(steps.get(entry.path)?.kind ?? '') ? 'waiting' : 'current';
    else if (entry.type === 'step.completed') states[entry.path] = 'done';
    else if (entry.type === 'step.failed') states[entry.path] = 'failed';
    else if (entry.type === 'step.skipped') states[entry.path] = 'skipped';
  }
  const failing = new Set(incidents.map((incident) => incident.activityType));
  for (const [path, state] of Object.entries(states)) {
    const step = steps.get(path);
    if (state === 'current' && step?.kind === 'call' && step.activity && failing.has(step.activity))
      states[path] = 'failed';
  }
  return states;
}
