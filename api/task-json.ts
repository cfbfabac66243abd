import type { Locale } from '../contracts/locales';
import { formRequiresInput } from '../contracts/task-form';
import { localiseTask } from '../contracts/task-localisation';
import type { TaskRow } from '../db/entities';
import type { InstanceSummary } from '../db/repositories';

/**
 * A task as the API returns it (GET /tasks, GET /tasks/:id): its template's texts (title,
 * description, outcome labels, form field titles) in the request's locale.
 */
export function taskJson(
  row: TaskRow,
  instance: InstanceSummary | undefined,
  locale: Locale,
  names: ReadonlyMap<string, string> = new Map(),
) {
  const nameOf = (id: string | null | undefined) => (id ? (names.get(id) ?? id) : null);
  const texts = localiseTask(row, locale);
  return {
    id: row.id,
    instanceId: row.instanceId,
    templateKey: row.templateKey,
    templateName: instance?.templateName ?? row.templateKey,
    businessKey: instance?.businessKey ?? null,
    stepId: row.stepId,
    title: texts.title,
    description: texts.description,
    assignee: row.assignee ?? null,
    assigneeName: nameOf(row.assignee),
    candidateRole: row.candidateRole ?? null,
    candidateUsers: row.candidateUsers,
    outcomes: row.outcomes,
    outcomeLabels: texts.outcomeLabels,
    form: texts.form as Record<string, unknown> | null,
    needsForm: formRequiresInput(row.form),
    priority: row.priority,
    dueAt: row.dueAt?.toISOString() ?? null,
    status: row.status,
    outcome: row.outcome ?? null,
    formData: row.formData ?? null,
    comment: row.comment ?? null,
    completedBy: row.completedBy ?? null,
    completedByName: nameOf(row.completedBy),
    completedAt: row.completedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
