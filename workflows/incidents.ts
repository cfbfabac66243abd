import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import type { Json, StepPlan } from '../dsl/plan';
import type { IncidentView } from '../contracts/engine';
import type { StepError } from './failure';
import { iterationKey, type Frame } from './frame';
import { resolveIncidentUpdate, setVariablesUpdate } from './messages';
import type { ProcessInstance } from './process-instance';
import { setStatus } from './process-status';
import { flushProjection } from './projection';

export type IncidentDecision = 'retry' | 'fail';

interface HeldIncident {
  view: IncidentView;
  decision: IncidentDecision | null;
}

/** The steps waiting for an operator, in the order they failed. */
export class IncidentBook {
  private readonly held: HeldIncident[] = [];

  add(view: IncidentView): HeldIncident {
    const incident = { view, decision: null };
    this.held.push(incident);
    return incident;
  }

  /** Every held step gets the decision: an operator acts on the instance, not on one branch. */
  decideAll(decision: IncidentDecision): void {
    for (const incident of this.held.splice(0)) incident.decision = decision;
  }

  /** A held step whose branch was cancelled (withdrawn, or the instance cancelled) waits no more. */
  release(incident: HeldIncident): void {
    const index = this.held.indexOf(incident);
    if (index >= 0) this.held.splice(index, 1);
  }

  get size(): number {
    return this.held.length;
  }

  views(): IncidentView[] {
    return this.held.map((incident) => ({ ...incident.view }));
  }

  /** The first held step's error: what the instance row shows while it is in incident. */
  first(): IncidentView | null {
    return this.held[0]?.view ?? null;
  }
}

/**
 * Holds a failed step: the instance is `incident` (timeline `step.incident`, projection flushed so
 * the list finds it) until an operator retries (the step runs again) or fails it.
 */
export async function holdIncident(
  instance: ProcessInstance,
  step: StepPlan,
  frame: Frame,
  error: StepError,
): Promise<IncidentDecision> {
  const since = new Date().toISOString();
  const incident = instance.incidents.add({
    ...error,
    stepId: step.id,
    failedStepId: error.stepId || step.id,
    path: step.path,
    iteration: iterationKey(frame),
    since,
  });
  instance.timeline.add('step.incident', { stepId: step.id, path: step.path, detail: { ...error } });
  setStatus(instance, 'incident');
  await flushProjection(instance);
  try {
    await condition(() => incident.decision !== null);
  } catch (cancellation) {
    // The branch holding the step was cut short (a completion condition, `any`, or the
    // instance's cancel): nobody needs to decide on it any more.
    instance.incidents.release(incident);
    if (instance.incidents.size === 0 && instance.status === 'incident') setStatus(instance, 'running');
    throw cancellation;
  }
  return incident.decision as IncidentDecision;
}

/** The operator's Updates: change variables while in incident, retry the held steps. */
export function installIncidentUpdates(instance: ProcessInstance): void {
  setHandler(
    setVariablesUpdate,
    async ({ vars, actor }) => {
      for (const [name, value] of Object.entries(vars)) instance.vars[name] = value;
      instance.timeline.add('vars.changed', { detail: { by: actor.userId, names: Object.keys(vars) } });
      await flushProjection(instance);
      return { ...instance.vars };
    },
    {
      validator: ({ vars }) => {
        refuseWithoutIncident(instance);
        if (typeof vars !== 'object' || vars === null || Array.isArray(vars))
          throw ApplicationFailure.create({
            type: 'instance.vars-invalid',
            message: 'vars must be an object of variable names and JSON values',
            nonRetryable: true,
          });
        for (const [name, value] of Object.entries(vars)) instance.keep(value as Json, `variable '${name}'`);
      },
    },
  );

  setHandler(
    resolveIncidentUpdate,
    async ({ decision, actor }) => {
      const steps = instance.incidents.views().map((view) => view.stepId);
      instance.incidents.decideAll(decision);
      instance.timeline.add(decision === 'retry' ? 'incident.retried' : 'incident.failed', {
        detail: { by: actor.userId, steps },
      });
      if (decision === 'retry') {
        setStatus(instance, 'running');
        await flushProjection(instance);
      }
      return { steps };
    },
    {
      validator: ({ decision }) => {
        refuseWithoutIncident(instance);
        if (decision !== 'retry' && decision !== 'fail')
          throw ApplicationFailure.create({
            type: 'instance.decision-invalid',
            message: `decision '${String(decision)}' is neither retry nor fail`,
            nonRetryable: true,
          });
      },
    },
  );
}

function refuseWithoutIncident(instance: ProcessInstance): void {
  if (instance.incidents.size === 0)
    throw ApplicationFailure.create({
      type: 'instance.no-incident',
      message: `instance ${instance.info.id} has no step in incident`,
      nonRetryable: true,
    });
}
