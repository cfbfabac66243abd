import type { ProcessPlan } from '../../../../dsl/plan';
import type { DryRunScenario } from './dry-run-api';
import { planSteps } from './plan-steps';
import { sampleOf } from './schema-sample';
import type { JsonSchema } from './studio-api';

/**
 * A scenario as the form edits it: JSON as text (typed by hand), one answer per task step and
 * call step, each event arriving or not. Converted to and from the API's DryRunScenario; the
 * scenario's other parts (expectations, repeated answers) are kept as they were loaded.
 */
export interface ScenarioDraft {
  name: string;
  input: string;
  /** Outcome per task step id; '' leaves the task open (the run waits there). */
  tasks: Record<string, string>;
  /** Result JSON per call step id; '' lets the server make one from the catalogue's result schema. */
  activities: Record<string, string>;
  /** Payload JSON per event name; absent: the event never arrives. */
  events: Record<string, string>;
  base: DryRunScenario | null;
}

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

export function newScenarioDraft(plan: ProcessPlan | null): ScenarioDraft {
  return {
    name: 'scenario-1',
    input: pretty(plan ? sampleOf(plan.inputSchema as JsonSchema) : {}),
    tasks: {},
    activities: {},
    events: {},
    base: null,
  };
}

export function draftOfScenario(scenario: DryRunScenario): ScenarioDraft {
  const first = <T>(answers: T[] | undefined): T | undefined => answers?.[0];
  return {
    name: scenario.name,
    input: pretty(scenario.input),
    tasks: Object.fromEntries(Object.entries(scenario.tasks ?? {}).map(([id, a]) => [id, first(a)?.outcome ?? ''])),
    activities: Object.fromEntries(
      Object.entries(scenario.activities ?? {}).map(([id, answers]) => {
        const answer = first(answers);
        return [id, answer && 'result' in answer ? pretty(answer.result) : ''];
      }),
    ),
    events: Object.fromEntries((scenario.events ?? []).map((event) => [event.event, pretty(event.payload)])),
    base: scenario,
  };
}

export class ScenarioJsonError extends Error {
  constructor(readonly field: string) {
    super(`not JSON: ${field}`);
  }
}

const parse = (text: string, field: string) => {
  try {
    return JSON.parse(text) as DryRunScenario['input'];
  } catch {
    throw new ScenarioJsonError(field);
  }
};

/** The API's scenario; throws {@link ScenarioJsonError} naming the field whose JSON does not parse. */
export function scenarioOfDraft(draft: ScenarioDraft, plan: ProcessPlan | null): DryRunScenario {
  const known = new Set(plan ? planSteps(plan).map((step) => step.id) : []);
  const base = draft.base ?? { name: draft.name, input: null };
  const tasks: NonNullable<DryRunScenario['tasks']> = { ...base.tasks };
  for (const [id, outcome] of Object.entries(draft.tasks)) {
    if (outcome) tasks[id] = [{ ...base.tasks?.[id]?.[0], outcome }, ...(base.tasks?.[id]?.slice(1) ?? [])];
    else delete tasks[id];
  }
  const activities: NonNullable<DryRunScenario['activities']> = { ...base.activities };
  for (const [id, text] of Object.entries(draft.activities)) {
    if (text.trim()) activities[id] = [{ result: parse(text, id) }];
    else delete activities[id];
  }
  return {
    ...base,
    name: draft.name,
    input: parse(draft.input, 'input'),
    tasks: Object.fromEntries(Object.entries(tasks).filter(([id]) => known.size === 0 || known.has(id))),
    activities: Object.fromEntries(Object.entries(activities).filter(([id]) => known.size === 0 || known.has(id))),
    events: Object.entries(draft.events).map(([event, payload]) => ({
      event,
      payload: parse(payload || 'null', event),
    })),
  };
}
