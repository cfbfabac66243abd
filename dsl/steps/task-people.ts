import type { CandidatesPlan, EscalationPlan, Expr, TaskPriority } from '../plan';
import type { Path } from '../path';
import { ref, type JsonSchemaObject } from '../schema-defs';
import { isRecord, type StepContext } from './step-kind';

export const PRIORITIES: readonly TaskPriority[] = ['low', 'normal', 'high', 'urgent'];

/** One rung of the escalation ladder, `after` counted from when the task opens. */
export const ESCALATION_SCHEMA: JsonSchemaObject = {
  type: 'object',
  required: ['after'],
  properties: {
    after: {
      ...ref.durationOrExpression,
      description:
        'When, counted from the task opening, this escalation fires (a duration, or an expression giving one).',
    },
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

/**
 * A task timing (`due`, `remind.every`, `escalate[].after`): a literal ISO 8601 duration in
 * milliseconds, or an expression the workflow evaluates when the task opens (checked here as a
 * string; whether that string is a duration can only be known then). Neither when it is absent.
 */
export function compileTaskDuration(ctx: StepContext, at: Path, raw: unknown): { ms?: number; expr?: Expr } {
  const expr = ctx.expr(at, raw, { schema: { type: 'string' } });
  if (expr) return { expr };
  const ms = ctx.duration(at, raw);
  return ms === undefined ? {} : { ms };
}

export function compileEscalations(ctx: StepContext, at: Path, raw: unknown): EscalationPlan[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const plans: EscalationPlan[] = [];
  raw.forEach((rung, i) => {
    if (!isRecord(rung)) return;
    const here = [...at, i];
    const after = compileTaskDuration(ctx, [...here, 'after'], rung.after);
    const plan: EscalationPlan = after.expr ? { afterExpr: after.expr } : { afterMs: after.ms ?? 0 };
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
