import { defineEntity, p } from '@mikro-orm/postgresql';
import type { TaskTexts } from '../../contracts/engine';
import type { FormSchema, Json, LocalizedText } from '../../dsl/plan';

export const TASK_STATUSES = ['open', 'completed', 'cancelled'] as const;
export const TASK_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

/**
 * The inbox projection of a human task. The id is the workflow's stable task id
 * (`<instanceId>:<stepPath>@<iteration>`), so opening it again is a no-op. Candidates are kept
 * as the workflow resolved them: a role narrowed by attribute filters, and/or named users.
 */
export const TaskRowSchema = defineEntity({
  name: 'TaskRow',
  tableName: 'task',
  properties: {
    id: p.text().primary(),
    instanceId: p.text(),
    templateKey: p.text(),
    stepId: p.text(),
    title: p.text(),
    description: p.text().nullable(),
    /** Every locale's title and description when the template gives them per locale (`title`/`description` are then `en`). */
    texts: p.json<TaskTexts>().nullable(),
    /** The template's labels of the outcomes it labels, in every locale; an unlabelled outcome shows its id. */
    outcomeLabels: p.json<Record<string, LocalizedText>>().nullable(),
    assignee: p.text().nullable(),
    candidateRole: p.text().nullable(),
    candidateUsers: p.array().onCreate(() => []),
    candidateWhere: p.json<Record<string, Json>>().onCreate(() => ({})),
    /** Four-eyes: who may not decide this task (never its assignee, never shown it in a queue). */
    excludedUsers: p.array().onCreate(() => []),
    /** The assignee the process named at opening, before an out-of-office rule applied. */
    openedAssignee: p.text().nullable(),
    outcomes: p.array(),
    form: p.json<FormSchema>().nullable(),
    priority: p.enum(TASK_PRIORITIES),
    dueAt: p.datetime().nullable(),
    status: p.enum(TASK_STATUSES),
    outcome: p.text().nullable(),
    formData: p.json<Record<string, Json>>().nullable(),
    comment: p.text().nullable(),
    completedBy: p.text().nullable(),
    completedAt: p.datetime().nullable(),
    remindersSent: p.integer().default(0),
    escalationLevel: p.integer().default(0),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});

export class TaskRow extends TaskRowSchema.class {}
TaskRowSchema.setClass(TaskRow);
