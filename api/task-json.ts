import type { FastifyRequest } from 'fastify';
import { formRequiresInput } from '../contracts/task-form';
import type { TaskRow } from '../db/entities';
import type { InstanceSummary } from '../db/repositories';
import type { Principal } from './principal';

/** A locale the product speaks. */
export type TaskLocale = 'en' | 'zh-CN';

/**
 * The request locale: the best Accept-Language match among en / zh-CN, else the caller's saved
 * locale, else en. A private stand-in for api/request-locale.ts (template-i18n's), which replaces it.
 */
export function taskLocaleOf(request: FastifyRequest, principal: Principal): TaskLocale {
  const ranked = (request.headers['accept-language'] ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...options] = part.trim().split(';');
      const q = options.find((option) => option.trim().startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((entry) => entry.tag !== '' && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return principal.attributes['locale'] === 'zh-CN' ? 'zh-CN' : 'en';
}

/**
 * Each outcome's label in the locale: for now the outcome id itself (the task row carries no
 * labels yet); localized labels from the template (template-i18n) are read here, and only here.
 */
export function outcomeLabelsOf(row: TaskRow, locale: TaskLocale): Record<string, string> {
  void locale;
  return Object.fromEntries(row.outcomes.map((outcome) => [outcome, outcome]));
}

/** A task as the API returns it (GET /tasks, GET /tasks/:id). */
export function taskJson(row: TaskRow, instance: InstanceSummary | undefined, locale: TaskLocale) {
  return {
    id: row.id,
    instanceId: row.instanceId,
    templateKey: row.templateKey,
    templateName: instance?.templateName ?? row.templateKey,
    businessKey: instance?.businessKey ?? null,
    stepId: row.stepId,
    title: row.title,
    description: row.description ?? null,
    assignee: row.assignee ?? null,
    candidateRole: row.candidateRole ?? null,
    candidateUsers: row.candidateUsers,
    outcomes: row.outcomes,
    outcomeLabels: outcomeLabelsOf(row, locale),
    form: (row.form ?? null) as Record<string, unknown> | null,
    needsForm: formRequiresInput(row.form),
    priority: row.priority,
    dueAt: row.dueAt?.toISOString() ?? null,
    status: row.status,
    outcome: row.outcome ?? null,
    formData: row.formData ?? null,
    comment: row.comment ?? null,
    completedBy: row.completedBy ?? null,
    completedAt: row.completedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
