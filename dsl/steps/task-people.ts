import type { CandidatesPlan, EscalationPlan, TaskPriority } from '../plan';
import type { Path } from '../path';
import { ref, type JsonSchemaObject } from '../schema-defs';
import { isRecord, type StepContext } from './step-kind';

export const PRIORITIES: readonly TaskPriority[] = ['low', 'normal', 'high', 'urgent'];

/** One rung of the escalation ladder, `after` counted from when the task opens. */
export const ESCALATION_SCHEMA: JsonSchemaObject = {
  type: 'object',
  required: ['after'],
  properties: {
    after: { ...ref.duration, description: 'When, counted from the task opening, this escalation fires.' },
    notify: { ...ref.value, description: 'User ids or e-mail addresses to notify (a list or an expression).' },
    reassign: {
      type: 'object',
      description: '`{ user: … }`, or candidates: `{ role, users, <attribute>: … }`.',
      properties: { user: ref.value, role: ref.value, users: ref.value },
      propertyNames: ref.identifier,
      additionalProperties: ref.value,
      minProperties: 1,
    },
    raisePriority: { enum: PRIORITIES },
  },
  additionalProperties: false,
};

/** `{ role, users, <attribute>: … }`: `role` and `users` are themselves, any other key filters on that attribute. */
export function compileCandidates(ctx: StepContext, at: Path, raw: unknown): CandidatesPlan | undefined {
  if (!isRecord(raw)) return undefined;
  const plan: CandidatesPlan = {};
  const where: Record<string, ReturnType<StepContext['value']>> = {};
  for (const [key, value] of Object.entries(raw)) {
    const compiled = ctx.value([...at, key], value);
    if (key === 'role') plan.role = compiled;
    else if (key === 'users') plan.users = compiled;
    else where[key] = compiled;
  }
  if (Object.keys(where).length > 0) plan.where = where;
  return plan;
}

export function compileEscalations(ctx: StepContext, at: Path, raw: unknown): EscalationPlan[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const plans: EscalationPlan[] = [];
  raw.forEach((rung, i) => {
    if (!isRecord(rung)) return;
    const here = [...at, i];
    const plan: EscalationPlan = { afterMs: ctx.duration([...here, 'after'], rung.after) ?? 0 };
    if (rung.notify !== undefined) plan.notify = ctx.value([...here, 'notify'], rung.notify);
    if (isRecord(rung.reassign)) {
      const { user, ...candidates } = rung.reassign;
      const pool = compileCandidates(ctx, [...here, 'reassign'], candidates);
      plan.reassign = {
        ...(user !== undefined ? { user: ctx.value([...here, 'reassign', 'user'], user) } : {}),
        ...(pool && Object.keys(candidates).length > 0 ? { candidates: pool } : {}),
      };
    }
    if (typeof rung.raisePriority === 'string') plan.raisePriority = rung.raisePriority as TaskPriority;
    if (rung.notify === undefined && rung.reassign === undefined && rung.raisePriority === undefined) {
      ctx.report('schema.invalid', here, 'an escalation must notify someone, reassign the task or raise its priority');
    }
    plans.push(plan);
  });
  return plans;
}
