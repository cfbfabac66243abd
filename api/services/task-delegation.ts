import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../../contracts/failures';
import { hasRight } from '../../contracts/roles';
import type { TaskRow } from '../../db/entities';
import type { UserRepository } from '../../db/users/user.repository';
import type { EngineUser } from '../../db/users/user.entity';
import { teamIdsOf } from '../access/record-scope';
import type { Principal } from '../principal';
import { ProblemError } from '../problem-error';

/**
 * Who a task may be handed to, decided before the workflow is asked (the workflow cannot read
 * people): an active person who could have been a candidate of the task, whom the four-eyes rule
 * does not shut out, and, when a manager hands on a team member's task, a member of that team.
 *
 * "Could have been a candidate": one of the task's named candidate users, or a holder of its
 * candidate role whose attributes pass its filter (region …). A task the process assigned to one
 * person with no candidates goes to someone holding one of the inbox roles that person holds
 * (the assignee the process named, not whoever holds it now, so a chain of delegations cannot
 * drift into other roles).
 */
export async function assertMayDelegateTo(
  em: EntityManager,
  users: UserRepository,
  principal: Principal,
  task: TaskRow,
  targetId: string,
): Promise<EngineUser> {
  const target = await users.get(em, targetId);
  if (!target)
    throw new ProblemError({
      status: 422,
      type: 'unknown-user',
      title: 'Unprocessable Content',
      detail: `No user '${targetId}'.`,
    });
  if ((task.excludedUsers ?? []).includes(target.id)) {
    throw new DomainError('task.four-eyes', `${target.id} may not decide task ${task.id}: four-eyes rule`);
  }
  if (!target.active || !(await couldBeCandidate(em, users, task, target))) {
    throw new DomainError('task.delegate-not-candidate', `${target.id} could not be a candidate of task ${task.id}`);
  }
  if (task.assignee !== principal.userId && !hasRight(principal.roles, 'tasks.see-all')) {
    // A manager reassigning a member's task keeps it inside the team they lead.
    const team = await teamIdsOf(principal, users, em);
    if (!team.includes(target.id)) {
      throw new DomainError('task.delegate-outside-team', `${target.id} is not in the team of ${principal.userId}`);
    }
  }
  return target;
}

async function couldBeCandidate(
  em: EntityManager,
  users: UserRepository,
  task: TaskRow,
  target: EngineUser,
): Promise<boolean> {
  if (task.candidateUsers.includes(target.id)) return true;
  if (task.candidateRole) {
    if (!target.roles.includes(task.candidateRole)) return false;
    const holders = await users.listByRole(em, task.candidateRole, task.candidateWhere);
    return holders.some((user) => user.id === target.id);
  }
  if (task.candidateUsers.length > 0) return false;
  const namedId = task.openedAssignee ?? task.assignee;
  const named = namedId ? await users.get(em, namedId) : null;
  if (!named) return false;
  return named.roles.some((role) => hasRight([role], 'tasks.work') && target.roles.includes(role));
}
