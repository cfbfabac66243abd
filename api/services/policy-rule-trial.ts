import type { EntityManager } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/common';
import {
  decidePolicyRule,
  isPolicyRule,
  POLICY_RULES,
  type CrmRuleName,
  type PolicyRuleRecords,
} from '../../activities/crm/rule-activities';
import { RuleError } from '../../activities/crm/rules/rule-error';
import type { CallStep, Json, ProcessPlan, ValueTemplate } from '../../dsl/plan';
import type { EngineContext } from '../engine-deps';
import { ProblemError } from '../problem-error';
import { assertCompiled, compileAgainstRegistry } from './template-compiler';

/** A `call` step of a policy rule, with the literal policy its `with` gives (null: the rule's shipped one). */
export interface RuleStep {
  stepId: string;
  activity: CrmRuleName;
  policy: Json | null;
}

const unprocessable = (type: string, detail: string) =>
  new ProblemError({ status: 422, type, title: 'Unprocessable Content', detail });

/**
 * The plan a trial judges: the YAML given, else the key's draft, compiled as validate does
 * (422 `template-invalid` with diagnostics when it does not compile).
 */
export async function compileTrialSource(
  ctx: EngineContext,
  em: EntityManager,
  key: string,
  source: string | undefined,
): Promise<ProcessPlan> {
  const yaml = source ?? (await ctx.templates.getDraft(em, key))?.source;
  if (yaml === undefined) {
    throw new ProblemError({
      status: 404,
      type: 'template-not-found',
      title: 'Not Found',
      detail: `No draft of '${key}' and no source in the body.`,
    });
  }
  return assertCompiled(await compileAgainstRegistry(ctx, em, yaml), `Template '${key}'`);
}

/** The rule step `stepId` of a plan; 422 when there is none or it does not call a policy rule with a literal policy. */
export function ruleStepOf(plan: ProcessPlan, stepId: string): RuleStep {
  const step = findCallStep(plan, stepId);
  if (!step) throw unprocessable('not-a-rule-step', `'${stepId}' is not a call step of '${plan.key}'.`);
  if (!isPolicyRule(step.activity)) {
    throw unprocessable(
      'not-a-rule-step',
      `Step '${stepId}' calls '${step.activity}', which is not a policy rule (${Object.keys(POLICY_RULES).join(', ')}).`,
    );
  }
  const { policyParam } = POLICY_RULES[step.activity];
  const params: Record<string, ValueTemplate | undefined> = isRecord(step.with) ? step.with : {};
  const given = params[policyParam];
  const policy = given === undefined ? null : literalOf(given);
  if (policy === undefined) {
    throw unprocessable(
      'not-a-rule-step',
      `Step '${stepId}' computes its ${policyParam} when it runs; a trial needs it written out.`,
    );
  }
  return { stepId, activity: step.activity, policy };
}

/** The same step in a published plan, or null when it has no rule step of that id. */
export function publishedRuleStep(plan: ProcessPlan, stepId: string): RuleStep | null {
  try {
    return ruleStepOf(plan, stepId);
  } catch (error) {
    if (error instanceof ProblemError) return null;
    throw error;
  }
}

/** The rule's answer to `request` under the step's policy; a refused request or policy is a 422 in the rule's words. */
export async function decideRuleStep(step: RuleStep, request: Record<string, unknown>): Promise<unknown> {
  const { policyParam } = POLICY_RULES[step.activity];
  const params = step.policy === null ? { ...request } : { ...request, [policyParam]: step.policy };
  if (step.policy === null) delete params[policyParam];
  try {
    return await decidePolicyRule(step.activity, params);
  } catch (error) {
    if (error instanceof RuleError) throw unprocessable('rule-request-invalid', error.message);
    if (error instanceof ApplicationFailure && error.type?.startsWith('rule.'))
      throw unprocessable('rule-request-invalid', error.message);
    throw error;
  }
}

export function recordsOf(step: RuleStep): PolicyRuleRecords {
  const records = POLICY_RULES[step.activity].records;
  if (!records)
    throw unprocessable('not-a-rule-step', `'${step.activity}' judges no stored records, so it cannot be backtested.`);
  return records;
}

function findCallStep(plan: ProcessPlan, stepId: string): CallStep | undefined {
  let found: CallStep | undefined;
  const visit = (value: unknown): void => {
    if (found) return;
    if (Array.isArray(value)) for (const item of value) visit(item);
    else if (isRecord(value)) {
      if (value.kind === 'call' && value.id === stepId) found = value as unknown as CallStep;
      // `with` holds data, not steps.
      else for (const [name, item] of Object.entries(value)) if (name !== 'with') visit(item);
    }
  };
  visit([plan.steps, plan.onFailure]);
  return found;
}

/** The JSON a value template stands for, or undefined when an expression is anywhere in it. */
function literalOf(template: ValueTemplate): Json | undefined {
  if (Array.isArray(template)) {
    const items = template.map(literalOf);
    return items.some((item) => item === undefined) ? undefined : (items as Json[]);
  }
  if (!isRecord(template)) return template as Json;
  const keys = Object.keys(template);
  if (keys.length === 1 && keys[0] === '$expr') return undefined;
  if (keys.length === 1 && keys[0] === '$literal') return template.$literal as Json;
  const entries = Object.entries(template).map(([name, value]) => [name, literalOf(value as ValueTemplate)] as const);
  return entries.some(([, value]) => value === undefined) ? undefined : (Object.fromEntries(entries) as Json);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
