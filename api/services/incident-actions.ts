import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Actor, IncidentView } from '../../contracts/engine';
import { FAILURES, isFailureCode } from '../../contracts/failures';
import type { Json } from '../../dsl/plan';
import { resolveIncidentUpdate, setVariablesUpdate, stateQuery } from '../../workflows/messages';
import { instanceNotRunning } from '../access/instance-visibility';
import type { EngineContext } from '../engine-deps';
import { ProblemError } from '../problem-error';

/**
 * The steps an instance holds in incident, from its workflow; when it cannot be asked, the one
 * the instance row names (the projection keeps the first held step's error).
 */
export async function heldSteps(
  ctx: EngineContext,
  instanceId: string,
  stored: { code: string; message: string; stepId?: string; path?: string; since?: string } | null,
): Promise<IncidentView[]> {
  try {
    const state = await ctx.client.workflow.getHandle(instanceId).query(stateQuery);
    return state.incidents ?? [];
  } catch {
    if (!stored?.stepId) return [];
    const { code, message, stepId, path, since } = stored;
    return [{ stepId, failedStepId: stepId, path: path ?? '', iteration: '0', code, message, since: since ?? '' }];
  }
}

export async function setIncidentVariables(
  ctx: EngineContext,
  instanceId: string,
  vars: Record<string, Json>,
  actor: Actor,
): Promise<Record<string, Json>> {
  return sendIncidentUpdate(instanceId, () =>
    ctx.client.workflow.getHandle(instanceId).executeUpdate(setVariablesUpdate, { args: [{ vars, actor }] }),
  );
}

export async function resolveIncident(
  ctx: EngineContext,
  instanceId: string,
  decision: 'retry' | 'fail',
  actor: Actor,
): Promise<string[]> {
  const { steps } = await sendIncidentUpdate(instanceId, () =>
    ctx.client.workflow.getHandle(instanceId).executeUpdate(resolveIncidentUpdate, { args: [{ decision, actor }] }),
  );
  return steps;
}

/** The workflow's validators refuse with codes of the failure table (no incident → 409). */
async function sendIncidentUpdate<T>(instanceId: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw instanceNotRunning(instanceId);
    if (error instanceof WorkflowUpdateFailedError) {
      const cause = error.cause;
      const type = cause instanceof ApplicationFailure ? (cause.type ?? '') : '';
      const answer = isFailureCode(type) ? FAILURES[type] : { status: 409, type: 'no-incident', title: 'Conflict' };
      throw new ProblemError({ ...answer, detail: cause?.message ?? error.message, extensions: { code: type } });
    }
    throw error;
  }
}
