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
  (await loadDelegationRule(em, users, principal, task)).check(target);
  return target;
}

/** The rule of {@link assertMayDelegateTo} for one task and principal, with the people it needs read once. */
export interface DelegationRule {
  /** Throws the refusal POST /tasks/:id/delegate answers for this target; returns if the task may go to them. */
  check(target: EngineUser): void;
  /** Everyone the task may be handed to: the delegate picker's choices. */
  allowedTargets(): Promise<EngineUser[]>;
}

export async function loadDelegationRule(
  em: EntityManager,
  users: UserRepository,
  principal: Principal,
  task: TaskRow,
): Promise<DelegationRule> {
  const holders = task.candidateRole ? await users.listByRole(em, task.candidateRole, task.candidateWhere) : [];
  const named = await namedAssigneeRolesOf(em, users, task);
  // A manager reassigning a member's task keeps it inside the team they lead.
  const team =
    task.assignee !== principal.userId && !hasRight(principal.roles, 'tasks.see-all')
      ? await teamIdsOf(principal, users, em)
      : null;
  const couldBeCandidate = (target: EngineUser) => {
    if (task.candidateUsers.includes(target.id)) return true;
    if (task.candidateRole) {
      return target.roles.includes(task.candidateRole) && holders.some((user) => user.id === target.id);
    }
    return named.some((role) => target.roles.includes(role));
  };
  const check = (target: EngineUser) => {
    if ((task.excludedUsers ?? []).includes(target.id)) {
      throw new DomainError('task.four-eyes', `${target.id} may not decide task ${task.id}: four-eyes rule`);
    }
    if (!target.active || !couldBeCandidate(target)) {
      throw new DomainError('task.delegate-not-candidate', `${target.id} could not be a candidate of task ${task.id}`);
    }
    if (team && !team.includes(target.id)) {
      throw new DomainError('task.delegate-outside-team', `${target.id} is not in the team of ${principal.userId}`);
    }
  };
  return {
    check,
    async allowedTargets() {
      const possible = [
        ...(await users.findByIds(em, task.candidateUsers)),
        ...holders,
        ...(await users.listActiveWithRoles(em, named)),
      ];
      const unique = [...new Map(possible.map((user) => [user.id, user])).values()];
      return unique.filter((user) => {
        try {
          check(user);
          return true;
        } catch (error) {
          if (error instanceof DomainError) return false;
          throw error;
        }
      });
    },
  };
}

/**
 * For a task the process assigned to one person without candidates: the inbox roles of the
 * person it named (not whoever holds it now), whose holders may take it. Empty otherwise.
 */
async function namedAssigneeRolesOf(em: EntityManager, users: UserRepository, task: TaskRow): Promise<string[]> {
  if (task.candidateRole || task.candidateUsers.length > 0) return [];
  const namedId = task.openedAssignee ?? task.assignee;
  const named = namedId ? await users.get(em, namedId) : null;
  return named ? named.roles.filter((role) => hasRight([role], 'tasks.work')) : [];
}
