import type { JsonSchema } from '../cel/schema-types';
import type { TaskPriority, ValueTemplate } from '../plan';
import type { Path } from '../path';
import { ref } from '../schema-defs';
import { compileForm, FORM_SCHEMA } from './task-form';
import { compileOutcomeLabels, compileTaskTexts } from './task-texts';
import {
  compileCandidates,
  compileEscalations,
  compileTaskDuration,
  ESCALATION_SCHEMA,
  PRIORITIES,
} from './task-people';
import { asPositiveInteger, asString, isRecord, type StepContext, type StepKindDefinition } from './step-kind';

/**
 * `{ id, task: { title, assignee | candidates, excludeUsers?, outcomes, outcomeLabels?, form?, due?, priority?, remind?, escalate? } }`:
 * a human task. Title, description, outcome labels and form field texts may be given per locale
 * (task-texts.ts). Its result, `steps.<id>`, is the completion: `outcome` (one of `outcomes`),
 * `form` (typed by the form), `comment`, `completedBy`, `completedByName`, `completedAt`.
 */
export const taskStep: StepKindDefinition<'task'> = {
  kind: 'task',
  schema: {
    required: ['task'],
    properties: {
      task: {
        type: 'object',
        required: ['title'],
        properties: {
          title: {
            ...ref.value,
            description:
              'Shown in the inbox; usually an expression. Per locale: { en: …, zh-CN: … } (each may be an expression).',
          },
          description: { ...ref.value, description: 'A plain value or { en: …, zh-CN: … }.' },
          assignee: { ...ref.value, description: 'The user id the task is assigned to.' },
          candidates: ref.candidates,
          excludeUsers: {
            anyOf: [
              { type: 'string', minLength: 1 },
              { type: 'array', items: { type: 'string', minLength: 1 } },
            ],
            description:
              'Four-eyes: the user id(s) who may not decide the task, e.g. the owner of the record under approval (=steps.price.owner.id, or a list). They are never assigned it, do not see it in their queue and cannot claim, complete or be delegated it.',
          },
          outcomes: {
            type: 'array',
            items: { type: 'string', minLength: 1 },
            uniqueItems: true,
            description: 'How the task can be completed, e.g. [approved, rejected].',
          },
          outcomeLabels: {
            type: 'object',
            additionalProperties: ref.literalText,
            description:
              'What the buttons say, per outcome: { approved: { en: Approve, zh-CN: 批准 } } or a plain text.',
          },
          form: FORM_SCHEMA,
          due: {
            ...ref.durationOrExpression,
            description:
              'When the task is due, counted from when it opens (a duration, or an expression giving one, e.g. =steps.sla.responseWithin).',
          },
          priority: ref.priority,
          remind: {
            type: 'object',
            required: ['every'],
            properties: {
              every: ref.durationOrExpression,
              times: { type: 'integer', minimum: 1, description: 'How many reminders at most (default 1).' },
            },
            additionalProperties: false,
          },
          escalate: { type: 'array', items: ESCALATION_SCHEMA, description: 'The escalation ladder.' },
        },
        additionalProperties: false,
      },
    },
  },
  compile(step, ctx) {
    const task = isRecord(step.task) ? step.task : {};
    const at = (...rest: string[]) => ['task', ...rest];
    const outcomes = Array.isArray(task.outcomes)
      ? task.outcomes.filter((o): o is string => typeof o === 'string')
      : [];
    const { title, description, texts } = compileTaskTexts(ctx, at, task);
    const body: ReturnType<typeof taskStep.compile>['body'] = {
      title,
      outcomes,
      priority:
        ctx.expr(at('priority'), task.priority, { schema: { type: 'string', enum: PRIORITIES } }) ??
        ((asString(task.priority) ?? 'normal') as TaskPriority),
    };
    if (description !== undefined) body.description = description;
    if (texts) body.texts = texts;
    const outcomeLabels = compileOutcomeLabels(task.outcomeLabels);
    if (outcomeLabels) body.outcomeLabels = outcomeLabels;
    if (task.assignee !== undefined)
      body.assignee = ctx.value(at('assignee'), task.assignee, { schema: { type: 'string' } });
    const candidates = compileCandidates(ctx, at('candidates'), task.candidates);
    if (candidates) body.candidates = candidates;
    if (task.excludeUsers !== undefined)
      body.excludeUsers = compileExcludeUsers(ctx, at('excludeUsers'), task.excludeUsers);
    if (task.assignee === undefined && task.candidates === undefined) {
      ctx.report(
        'schema.invalid',
        ['task'],
        'a task needs an assignee or candidates (e.g. candidates: { role: sales-rep })',
      );
    }
    const form = compileForm(task.form);
    if (form) body.form = form;
    const due = compileTaskDuration(ctx, at('due'), task.due);
    if (due.expr) body.dueExpr = due.expr;
    else if (due.ms !== undefined) body.dueMs = due.ms;
    if (isRecord(task.remind)) {
      const every = compileTaskDuration(ctx, at('remind', 'every'), task.remind.every);
      const times = asPositiveInteger(task.remind.times) ?? 1;
      if (every.expr) body.remind = { everyExpr: every.expr, times };
      else if (every.ms !== undefined) body.remind = { everyMs: every.ms, times };
    }
    const escalate = compileEscalations(ctx, at('escalate'), task.escalate);
    if (escalate) body.escalate = escalate;
    return { body };
  },
  resultSchema(step) {
    const task = isRecord(step.task) ? step.task : {};
    const outcomes = Array.isArray(task.outcomes) ? task.outcomes.filter((o) => typeof o === 'string') : [];
    const form = (compileForm(task.form) ?? { type: 'object', additionalProperties: {} }) as JsonSchema;
    return {
      type: 'object',
      properties: {
        outcome: outcomes.length > 0 ? { type: 'string', enum: outcomes } : { type: 'string' },
        form: form as JsonSchema,
        comment: {},
        completedBy: { type: 'string' },
        completedByName: { type: 'string' },
        completedAt: { type: 'string', format: 'date-time' },
      },
    };
  },
};

/**
 * One user id or a list of them. A list's expressions must each give a string; a single
 * expression may give a string or a list (the owner's id, or the ids of everyone who worked on
 * the record), so it is left unconstrained here and flattened to a list when the task opens.
 */
function compileExcludeUsers(ctx: StepContext, at: Path, raw: unknown): ValueTemplate {
  if (Array.isArray(raw)) return ctx.value(at, raw, { schema: { type: 'array', items: { type: 'string' } } });
  return ctx.value(at, raw);
}
