import { parseDuration } from '../dsl/duration';
import type { EscalationPlan, Expr, Json, TaskStep } from '../dsl/plan';
import { processFailure } from './failure';
import type { Frame } from './frame';
import type { ProcessInstance } from './process-instance';

/** When a task is due, reminds and escalates, in milliseconds from its opening; fixed when it opens. */
export interface TaskTiming {
  dueMs?: number;
  remind?: { everyMs: number; times: number };
  /** The escalation ladder in plan order, each rung with the moment it fires. */
  escalate: { afterMs: number; plan: EscalationPlan }[];
}

/**
 * The task's timing: literal durations as the plan has them (plans from before timing
 * expressions are read exactly as they always were), and `dueExpr`, `remind.everyExpr` and
 * `escalate[].afterExpr` evaluated once, now, in the scope the title sees. A value that is not a
 * fixed-length ISO 8601 duration fails the step with `task.invalid-duration`.
 */
export function resolveTaskTiming(instance: ProcessInstance, step: TaskStep, frame: Frame): TaskTiming {
  const resolve = (field: string, ms: number | undefined, expr: Expr | undefined): number | undefined =>
    expr === undefined ? ms : durationOf(step, field, instance.evaluate(expr, frame));
  const dueMs = resolve('due', step.dueMs, step.dueExpr);
  const everyMs = step.remind && resolve('remind.every', step.remind.everyMs, step.remind.everyExpr);
  return {
    ...(dueMs !== undefined ? { dueMs } : {}),
    ...(step.remind && everyMs !== undefined ? { remind: { everyMs, times: step.remind.times } } : {}),
    escalate: (step.escalate ?? []).map((plan, i) => ({
      afterMs: resolve(`escalate[${i}].after`, plan.afterMs, plan.afterExpr) ?? 0,
      plan,
    })),
  };
}

function durationOf(step: TaskStep, field: string, value: Json): number {
  const parsed = typeof value === 'string' ? parseDuration(value) : undefined;
  if (parsed?.ok) return parsed.ms;
  const why = parsed ? parsed.message : 'write an ISO 8601 duration string, e.g. PT4H or P2D';
  throw processFailure(
    'task.invalid-duration',
    `step ${step.id}: task ${field} is ${JSON.stringify(value)}, not a duration: ${why}`,
    { stepId: step.id, field, value },
  );
}
