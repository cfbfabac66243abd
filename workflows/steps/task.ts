import { CancellationScope, condition, isCancellation, log, workflowInfo } from '@temporalio/workflow';
import { TASK_WITHDRAWN, type ResolvedCandidates, type TaskTexts } from '../../contracts/engine';
import type { Json, TaskStep } from '../../dsl/plan';
import { openTask, updateTask } from '../engine-activities';
import { processFailure } from '../failure';
import { isWithdrawn, iterationKey, type Frame } from '../frame';
import type { TaskView } from '../../contracts/engine';
import type { ProcessInstance } from '../process-instance';
import { flushIfPending } from '../projection';
import type { TaskRecord } from '../task-book';
import { applyTimer, asList, asPriority, asText, resolveCandidates, taskTimers } from '../task-schedule';
import { resolveTaskTiming, type TaskTiming } from '../task-timing';
import type { StepExecutor } from './context';

/** Since 2026-12 the workflow takes on the assignee an out-of-office rule put in place at opening. */

/**
 * A human task: project it (engine.openTask, which also notifies), then wait for the
 * completeTask Update while reminders and the escalation ladder fire on the workflow's own
 * timers, timed as the task opens (task-timing.ts: literal durations, or expressions evaluated
 * then; a bad duration fails the step before anything is projected). Result: the
 * TaskCompletion. Cancelled → the projection is told (withdrawn when its branch was no longer
 * needed, else cancelled), then the cancellation goes on.
 */
export const runTask: StepExecutor<TaskStep> = async (step, { instance, frame }) => {
  const candidates = resolveCandidates(instance, step.candidates, frame);
  const timing = resolveTaskTiming(instance, step, frame);
  const excluded = step.excludeUsers === undefined ? [] : asList(instance.render(step.excludeUsers, frame));
  const view = renderView(instance, step, frame, candidates, timing, excluded);
  const record = instance.tasks.add(view, step, excluded);
  const openedAt = new Date().getTime();
  instance.timeline.add('task.opened', {
    stepId: step.id,
    path: step.path,
    detail: { taskId: record.view.taskId, assignee: record.view.assignee },
  });
  try {
    // Not cancellable: an openTask abandoned mid-flight could land after the 'cancelled' update and
    // leave the inbox showing an open task. If cancelled meanwhile, the wait below throws at once.
    const openedFor = record.view.assignee;
    const projected = await CancellationScope.nonCancellable(() =>
      openTask({
        taskId: record.view.taskId,
        instanceId: instance.info.id,
        templateKey: instance.info.templateKey,
        stepId: step.id,
        title: record.view.title,
        description: step.description === undefined ? null : asText(instance.render(step.description, frame)),
        ...(view.texts ? { texts: view.texts } : {}),
        ...(step.outcomeLabels ? { outcomeLabels: step.outcomeLabels } : {}),
        assignee: record.view.assignee,
        candidates,
        ...(excluded.length > 0 ? { excludedUsers: excluded } : {}),
        outcomes: step.outcomes,
        form: step.form ?? null,
        priority: record.view.priority,
        dueAt: record.view.dueAt,
        notify: true,
      }),
    );
    record.projected = true;
    if (instance.patches.has('2026-12-out-of-office')) adoptCover(instance, record, openedFor, projected.assignee);
    await waitForCompletion(instance, record, frame, openedAt, timing);
  } catch (error) {
    if (!record.projected) {
      // Never reached the inbox: nothing to cancel there, and no Update may act on it.
      record.openFailed = true;
      if (record.view.status === 'open') record.view.status = 'cancelled';
    }
    if (isCancellation(error) && record.view.status === 'open')
      await cancelTask(instance, record, isWithdrawn(frame) ? TASK_WITHDRAWN : 'cancelled');
    throw error;
  }
  return record.completion as unknown as Json;
};

/**
 * The projection hands a task whose assignee is out of office to their delegate (engine.openTask);
 * the workflow takes that on so the delegate may act on it, and the timeline says why. Unless a
 * claim or delegation got in first while the task was being opened: that one stands.
 */
function adoptCover(
  instance: ProcessInstance,
  record: TaskRecord,
  openedFor: string | null,
  projectedAssignee: string | null,
): void {
  if (!openedFor || !projectedAssignee || projectedAssignee === openedFor) return;
  if (record.view.status !== 'open' || record.view.assignee !== openedFor) return;
  record.view.assignee = projectedAssignee;
  instance.timeline.add('task.delegated', {
    stepId: record.step.id,
    path: record.step.path,
    detail: { taskId: record.view.taskId, from: openedFor, to: projectedAssignee, reason: 'out-of-office' },
  });
}

async function waitForCompletion(
  instance: ProcessInstance,
  record: TaskRecord,
  frame: Frame,
  openedAt: number,
  timing: TaskTiming,
): Promise<void> {
  const closed = (): boolean => record.view.status !== 'open';
  for (const timer of taskTimers(timing)) {
    await flushIfPending(instance);
    const remaining = openedAt + timer.afterMs - new Date().getTime();
    if (remaining > 0 ? await condition(closed, remaining) : closed()) return;
    const change = applyTimer(instance, record, timer, frame);
    const eventKey = timer.type === 'remind' ? `reminded:${timer.count}` : `escalated:${timer.level}`;
    instance.timeline.add(change.type === 'reminded' ? 'task.reminded' : 'task.escalated', {
      stepId: record.step.id,
      path: record.step.path,
      detail: { taskId: record.view.taskId, ...change } as Json,
    });
    await updateTask({ taskId: record.view.taskId, eventKey, at: new Date().toISOString(), change });
  }
  await flushIfPending(instance);
  await condition(closed);
}

/** Closes an open task in workflow state and in the projection, even while being cancelled. */
export async function cancelTask(instance: ProcessInstance, record: TaskRecord, reason: string): Promise<void> {
  record.view.status = 'cancelled';
  instance.timeline.add('task.cancelled', {
    stepId: record.step.id,
    path: record.step.path,
    detail: { taskId: record.view.taskId, reason },
  });
  try {
    await CancellationScope.nonCancellable(() =>
      updateTask({
        taskId: record.view.taskId,
        eventKey: 'cancelled',
        at: new Date().toISOString(),
        change: { type: 'cancelled', reason },
      }),
    );
  } catch (error) {
    // Best effort: the cancellation (or the failure that caused it) must go on regardless.
    log.warn('could not project a task cancellation', { taskId: record.view.taskId, error: String(error) });
  }
}

function renderView(
  instance: ProcessInstance,
  step: TaskStep,
  frame: Frame,
  candidates: ResolvedCandidates,
  timing: TaskTiming,
  excluded: string[],
): TaskView {
  const priority =
    typeof step.priority === 'string' ? step.priority : asPriority(instance.evaluate(step.priority, frame));
  if (priority === null)
    throw processFailure('task.priority-invalid', `step ${step.id}: priority is not low, normal, high or urgent`);
  const texts = renderTexts(instance, step, frame);
  return {
    taskId: `${workflowInfo().workflowId}:${step.path}@${iterationKey(frame)}`,
    stepId: step.id,
    title: asText(instance.render(step.title, frame)) ?? step.id,
    ...(texts ? { texts } : {}),
    assignee: renderAssignee(instance, step, frame, excluded),
    candidateRole: candidates.role,
    candidateUsers: candidates.users,
    outcomes: [...step.outcomes],
    priority,
    dueAt: timing.dueMs === undefined ? null : new Date(new Date().getTime() + timing.dueMs).toISOString(),
    status: 'open',
    outcome: null,
    remindersSent: 0,
    escalationLevel: 0,
  };
}

/**
 * Each locale's title and description, for a template that gives them per locale. Only
 * evaluation, no commands: a task of a template without them opens exactly as before.
 */
function renderTexts(instance: ProcessInstance, step: TaskStep, frame: Frame): TaskTexts | undefined {
  if (!step.texts) return undefined;
  const texts = {} as TaskTexts;
  for (const locale of Object.keys(step.texts) as (keyof TaskTexts)[]) {
    const { title, description } = step.texts[locale];
    texts[locale] = {
      title: asText(instance.render(title, frame)) ?? step.id,
      description: description === undefined ? null : asText(instance.render(description, frame)),
    };
  }
  return texts;
}

/**
 * An empty assignee (e.g. `=owner != null ? owner.id : ""`) means none: the candidates get it.
 * So does one the four-eyes rule excludes.
 */
function renderAssignee(instance: ProcessInstance, step: TaskStep, frame: Frame, excluded: string[]): string | null {
  if (step.assignee === undefined) return null;
  const assignee = asText(instance.render(step.assignee, frame)) || null;
  return assignee !== null && excluded.includes(assignee) ? null : assignee;
}
