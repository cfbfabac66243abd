import { DomainError } from '../../contracts/failures';
import { hasRight } from '../../contracts/roles';
import type { TaskRow } from '../../db/entities';
import { teamIdsOf } from '../access/record-scope';
import type { EngineContext } from '../engine-deps';
import { forbidden } from '../plugins/auth';
import type { Principal } from '../principal';
import { ProblemError } from '../problem-error';

export const isTaskAdmin = (principal: Principal) => hasRight(principal.roles, 'tasks.see-all');

export const wasCandidate = (principal: Principal, row: TaskRow) =>
  row.assignee === principal.userId ||
  row.candidateUsers.includes(principal.userId) ||
  (row.candidateRole !== null && row.candidateRole !== undefined && principal.roles.includes(row.candidateRole));

export const inboxUser = (principal: Principal) => ({
  id: principal.userId,
  roles: principal.roles,
  attributes: principal.attributes,
});

/**
 * A task the principal may see: in their inbox, any for administrators, and a closed one they
 * could have acted on, so that acting on it again is a 409 (closed), not a 404. To hand a task
 * on, a manager also reaches the tasks assigned to the team they lead (and only to delegate:
 * completing a team member's task stays theirs). The task routes and mail action links both ask here.
 */
export async function visibleTask(
  ctx: EngineContext,
  principal: Principal,
  id: string,
  purpose: 'read' | 'act' | 'delegate' = 'read',
): Promise<TaskRow> {
  const em = ctx.orm.em.fork();
  const row = await ctx.tasks.get(em, id);
  if (
    row &&
    purpose === 'act' &&
    row.status === 'open' &&
    (row.excludedUsers ?? []).includes(principal.userId) &&
    (isTaskAdmin(principal) || wasCandidate(principal, row))
  ) {
    // Four-eyes: they would be a candidate but own the record under approval (their queue hides it).
    throw new DomainError('task.four-eyes', `${principal.userId} may not decide task ${id}: four-eyes rule`);
  }
  if (
    row &&
    (isTaskAdmin(principal) ||
      (row.status !== 'open' && wasCandidate(principal, row)) ||
      (purpose === 'delegate' && (await assignedToTeamOf(ctx, principal, row))) ||
      (await ctx.tasks.inbox(em, inboxUser(principal), { instanceId: row.instanceId, limit: 200 })).items.some(
        (t) => t.id === id,
      ))
  ) {
    return row;
  }
  throw new ProblemError({
    status: 404,
    type: 'task-not-found',
    title: 'Not Found',
    detail: `No task '${id}' in your inbox.`,
  });
}

/** Whether the task is assigned to a member of the team the principal leads, a manager who may delegate others' tasks. */
async function assignedToTeamOf(ctx: EngineContext, principal: Principal, row: TaskRow): Promise<boolean> {
  if (!row.assignee || !hasRight(principal.roles, 'tasks.delegate-others')) return false;
  return (await teamIdsOf(principal, ctx.users, ctx.orm.em.fork())).includes(row.assignee);
}

/** A task assigned to someone else is theirs to complete (administrators excepted). */
export function assertMayComplete(principal: Principal, task: TaskRow): void {
  if (task.assignee && task.assignee !== principal.userId && !isTaskAdmin(principal)) {
    throw forbidden(`Task '${task.id}' is assigned to ${task.assignee}.`);
  }
}
