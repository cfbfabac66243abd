import { DomainError } from '../../contracts/failures';
import { hasRight } from '../../contracts/roles';
import { formRequiresInput } from '../../contracts/task-form';
import type { Json } from '../../dsl/plan';
import type { TaskCompletion, TaskView } from '../../contracts/engine';
import type { TaskRow } from '../../db/entities';
import type { InboxUser } from '../../db/repositories';
import { teamIdsOf } from '../access/record-scope';
import type { EngineContext } from '../engine-deps';
import { forbidden } from '../plugins/auth';
import type { Principal } from '../principal';
import { ProblemError } from '../problem-error';
import { recordApiAction } from './request-audit';
import { claimTask, completeTask, delegateTask, releaseTask } from './task-actions';
import { assertMayDelegateTo } from './task-delegation';

export type TaskPurpose = 'read' | 'act' | 'delegate';

export interface Completion {
  outcome: string;
  form?: Record<string, Json>;
  comment?: string;
  /** Refuse a task whose form has required fields (422 `form-required`): bulk completion fills in no form. */
  withoutForm?: boolean;
}

const isAdmin = (principal: Principal) => hasRight(principal.roles, 'tasks.see-all');
const wasCandidate = (principal: Principal, row: TaskRow) =>
  row.assignee === principal.userId ||
  row.candidateUsers.includes(principal.userId) ||
  (row.candidateRole !== null && row.candidateRole !== undefined && principal.roles.includes(row.candidateRole));
const actorOf = (principal: Principal) => ({ userId: principal.userId, roles: principal.roles, name: principal.name });

/**
 * What a person does with one task, whichever route asks (one task's route or the bulk one):
 * the visibility and assignment checks, the workflow's Update, and the audit entry.
 */
export class TaskWork {
  constructor(private readonly ctx: EngineContext) {}

  /**
   * The caller as the inbox queries see them; for the `unassigned` view (or all the counts) with
   * the queues they oversee, which costs a team lookup for managers.
   */
  async inboxUserOf(principal: Principal, withOverseen = true): Promise<InboxUser> {
    const self = { id: principal.userId, roles: principal.roles, attributes: principal.attributes };
    if (!withOverseen) return self;
    if (isAdmin(principal)) return { ...self, overseen: 'everyone' };
    if (!hasRight(principal.roles, 'tasks.delegate-others')) return self;
    return { ...self, overseen: await teamIdsOf(principal, this.ctx.users, this.ctx.orm.em.fork()) };
  }

  /**
   * A task the principal may see: in their inbox (the queues they oversee included), any for
   * administrators, and a closed one they could have acted on, so that acting on it again is a
   * 409 (closed), not a 404. To hand a task on, a manager also reaches the tasks assigned to the
   * team they lead (and only to delegate: completing a team member's task stays theirs).
   */
  async visibleTask(principal: Principal, id: string, purpose: TaskPurpose = 'read'): Promise<TaskRow> {
    const em = this.ctx.orm.em.fork();
    const row = await this.ctx.tasks.get(em, id);
    if (
      row &&
      purpose === 'act' &&
      row.status === 'open' &&
      (row.excludedUsers ?? []).includes(principal.userId) &&
      (isAdmin(principal) || wasCandidate(principal, row))
    ) {
      // Four-eyes: they would be a candidate but own the record under approval (their queue hides it).
      throw new DomainError('task.four-eyes', `${principal.userId} may not decide task ${id}: four-eyes rule`);
    }
    if (
      row &&
      (isAdmin(principal) ||
        (row.status !== 'open' && wasCandidate(principal, row)) ||
        (purpose === 'delegate' && (await this.assignedToTeamOf(principal, row))) ||
        (await this.inInbox(principal, row)))
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

  /**
   * The task as the principal may complete it: visible to act on (four-eyes included) and not
   * assigned to someone else (administrators excepted). A mail's action link asks here too.
   */
  async completableTask(principal: Principal, id: string): Promise<TaskRow> {
    const task = await this.visibleTask(principal, id, 'act');
    if (task.assignee && task.assignee !== principal.userId && !isAdmin(principal)) {
      throw forbidden(`Task '${task.id}' is assigned to ${task.assignee}.`);
    }
    return task;
  }

  async claim(principal: Principal, id: string): Promise<TaskView> {
    const task = await this.visibleTask(principal, id, 'act');
    const view = await claimTask(this.ctx.client, target(task), actorOf(principal));
    await recordApiAction(this.ctx.orm, 'task.claim', `task:${task.id}`, { assignee: view.assignee });
    return view;
  }

  async complete(
    principal: Principal,
    id: string,
    completion: Completion,
    idempotencyKey?: string,
  ): Promise<TaskCompletion> {
    const task = await this.completableTask(principal, id);
    if (completion.withoutForm && task.status === 'open' && formRequiresInput(task.form)) {
      throw new ProblemError({
        status: 422,
        type: 'form-required',
        title: 'Unprocessable Content',
        detail: `Task '${task.id}' has a form to fill in; complete it on its own.`,
      });
    }
    const done = await completeTask(
      this.ctx.client,
      target(task),
      { outcome: completion.outcome, form: completion.form, comment: completion.comment },
      actorOf(principal),
      idempotencyKey,
    );
    await recordApiAction(this.ctx.orm, 'task.complete', `task:${task.id}`, { outcome: done.outcome });
    return done;
  }

  async delegate(principal: Principal, id: string, to: string): Promise<TaskView> {
    const task = await this.visibleTask(principal, id, 'delegate');
    const person = await assertMayDelegateTo(this.ctx.orm.em.fork(), this.ctx.users, principal, task, to);
    const view = await delegateTask(this.ctx.client, target(task), actorOf(principal), person.id);
    await recordApiAction(this.ctx.orm, 'task.delegate', `task:${task.id}`, { assignee: view.assignee });
    return view;
  }

  async release(principal: Principal, id: string): Promise<TaskView> {
    const task = await this.visibleTask(principal, id, 'act');
    const view = await releaseTask(this.ctx.client, target(task), actorOf(principal));
    await recordApiAction(this.ctx.orm, 'task.release', `task:${task.id}`, { assignee: null });
    return view;
  }

  private async inInbox(principal: Principal, row: TaskRow): Promise<boolean> {
    const em = this.ctx.orm.em.fork();
    const scope = { instanceId: row.instanceId, limit: 200 };
    const holds = async (user: InboxUser, view?: 'unassigned') =>
      (await this.ctx.tasks.inbox(em, user, { ...scope, ...(view ? { view } : {}) })).items.some(
        (task) => task.id === row.id,
      );
    if (await holds(await this.inboxUserOf(principal, false))) return true;
    // A manager also reaches the unassigned tasks in the queues of their team.
    return hasRight(principal.roles, 'tasks.delegate-others') && holds(await this.inboxUserOf(principal), 'unassigned');
  }

  /** Whether the task is assigned to a member of the team the principal leads, a manager who may delegate others' tasks. */
  private async assignedToTeamOf(principal: Principal, row: TaskRow): Promise<boolean> {
    if (!row.assignee || !hasRight(principal.roles, 'tasks.delegate-others')) return false;
    return (await teamIdsOf(principal, this.ctx.users, this.ctx.orm.em.fork())).includes(row.assignee);
  }
}

const target = (task: TaskRow) => ({ instanceId: task.instanceId, taskId: task.id });
