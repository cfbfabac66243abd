import type { TaskRow } from '../../db/entities';
import type { TaskProjection } from '../../contracts/engine';

/** The projection row in the shape the workflow and the API speak. */
export function toTaskView(task: TaskRow): TaskProjection {
  return {
    taskId: task.id,
    stepId: task.stepId,
    title: task.title,
    assignee: task.assignee ?? null,
    candidateRole: task.candidateRole ?? null,
    candidateUsers: [...task.candidateUsers],
    outcomes: [...task.outcomes],
    priority: task.priority,
    dueAt: task.dueAt ? task.dueAt.toISOString() : null,
    status: task.status,
    outcome: task.outcome ?? null,
    remindersSent: task.remindersSent,
    escalationLevel: task.escalationLevel,
  };
}
