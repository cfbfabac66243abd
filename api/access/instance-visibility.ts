import { WorkflowNotFoundError } from '@temporalio/client';
import type { InstanceRow } from '../../db/entities';
import type { EngineContext } from '../engine-deps';
import type { Principal } from '../principal';
import { ProblemError } from '../problem-error';
import { instanceReachOf } from './process-access';

export const instanceNotFound = (id: string) =>
  new ProblemError({
    status: 404,
    type: 'instance-not-found',
    title: 'Not Found',
    detail: `No process instance '${id}'.`,
  });

export const instanceNotRunning = (id: string) =>
  new ProblemError({
    status: 409,
    type: 'instance-not-running',
    title: 'Conflict',
    detail: `Instance '${id}' is not running (or does not exist).`,
  });

/** Signals and cancels reach only a running workflow; anything else is a 409. */
export async function whileRunning(id: string, send: () => Promise<void>): Promise<void> {
  try {
    await send();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw instanceNotRunning(id);
    throw error;
  }
}

/**
 * The instance as the principal may see it: its projected row, or `unprojected` when it was
 * started but not yet projected (then only its starter, or a reader of every instance, gets it).
 * Anything else, existing or not, is the same 404.
 */
export async function visibleInstance(
  ctx: EngineContext,
  principal: Principal,
  id: string,
): Promise<{ row: InstanceRow } | { row: null; unprojected: true }> {
  const em = ctx.orm.em.fork();
  const reach = await instanceReachOf(principal, ctx.users, em);
  let row = await ctx.instances.get(em, id, reach);
  if (row) return { row };
  // Named in the answer of the request that created its record, and still starting: wait for it.
  if (await ctx.triggers.waitForStart({ instanceId: id })) {
    row = await ctx.instances.get(ctx.orm.em.fork(), id, reach);
    if (row) return { row };
  }
  if (reach && (await ctx.instances.get(em, id))) throw instanceNotFound(id);
  try {
    const description = await ctx.client.workflow.getHandle(id).describe();
    if (reach && description.memo?.['startedBy'] !== principal.userId) throw instanceNotFound(id);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw instanceNotFound(id);
    throw error;
  }
  return { row: null, unprojected: true };
}
