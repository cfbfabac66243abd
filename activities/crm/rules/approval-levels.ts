import { Type, type Static } from 'typebox';
import { checkRuleData } from './check-rule-data';
import { refuse } from './rule-error';

export const ApprovalMode = Type.Enum(['sequential', 'parallel'], {
  description: 'How the approvers of one level decide: one after another, or all at once',
});
export type ApprovalMode = Static<typeof ApprovalMode>;

const ApprovalLevelRule = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    approvers: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      uniqueItems: true,
      description: 'Roles, in order when sequential',
    }),
    mode: ApprovalMode,
    title: Type.Optional(
      Type.Object(
        { en: Type.Optional(Type.String({ minLength: 1 })), 'zh-CN': Type.Optional(Type.String({ minLength: 1 })) },
        { additionalProperties: false, description: 'How tasks and mails name the level per language; default: name' },
      ),
    ),
    // Strictly above: "above 10 %" leaves a 10 % discount to the rep.
    discountPercentAbove: Type.Optional(Type.Number({ minimum: 0 })),
    totalAboveCents: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

export const ApprovalPolicy = Type.Object(
  {
    levels: Type.Array(ApprovalLevelRule, {
      description: 'In the order they run; each applies on its own thresholds (either one is enough)',
    }),
  },
  { additionalProperties: false },
);
export type ApprovalPolicy = Static<typeof ApprovalPolicy>;

export const ApprovalRequest = Type.Object(
  {
    discountPercent: Type.Number({ minimum: 0, maximum: 100 }),
    totalCents: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type ApprovalRequest = Static<typeof ApprovalRequest>;

export const ApprovalLevel = Type.Object({
  level: Type.Integer({ minimum: 1 }),
  name: Type.String(),
  /** The level's name per language, for task titles and mails (the name where the policy gives none). */
  title: Type.Object({ en: Type.String(), 'zh-CN': Type.String() }),
  approvers: Type.Array(Type.String()),
  mode: ApprovalMode,
  triggeredBy: Type.Array(Type.Enum(['discount', 'total'])),
});
export type ApprovalLevel = Static<typeof ApprovalLevel>;

export const ApprovalPlan = Type.Object({ required: Type.Boolean(), levels: Type.Array(ApprovalLevel) });
export type ApprovalPlan = Static<typeof ApprovalPlan>;

/**
 * The approval levels a quote must pass, in policy order. Levels are cumulative: a quote that
 * needs the director has also crossed the manager's threshold, so both appear, manager first.
 * `level` numbers the levels that apply (1, 2, …), not their position in the policy, so the
 * workflow can show "step 2 of 2".
 */
export function approvalLevels(request: ApprovalRequest, policy: ApprovalPolicy): ApprovalPlan {
  checkRuleData(ApprovalRequest, request, 'rule.invalid-input', 'approval request');
  checkRuleData(ApprovalPolicy, policy, 'rule.invalid-policy', 'approval policy');
  const names = new Set<string>();
  policy.levels.forEach((rule, index) => {
    if (names.has(rule.name))
      refuse('rule.invalid-policy', 'approval policy', `/levels/${index}/name`, `level '${rule.name}' appears twice`);
    names.add(rule.name);
    // A level without a threshold would apply to every quote, or to none: say which explicitly.
    if (rule.discountPercentAbove === undefined && rule.totalAboveCents === undefined) {
      refuse(
        'rule.invalid-policy',
        'approval policy',
        `/levels/${index}`,
        'give discountPercentAbove, totalAboveCents or both',
      );
    }
  });

  const levels: ApprovalLevel[] = [];
  for (const rule of policy.levels) {
    const triggeredBy: ApprovalLevel['triggeredBy'] = [];
    if (rule.discountPercentAbove !== undefined && request.discountPercent > rule.discountPercentAbove)
      triggeredBy.push('discount');
    if (rule.totalAboveCents !== undefined && request.totalCents > rule.totalAboveCents) triggeredBy.push('total');
    if (triggeredBy.length === 0) continue;
    levels.push({
      level: levels.length + 1,
      name: rule.name,
      title: { en: rule.title?.en ?? rule.name, 'zh-CN': rule.title?.['zh-CN'] ?? rule.name },
      approvers: [...rule.approvers],
      mode: rule.mode,
      triggeredBy,
    });
  }
  return { required: levels.length > 0, levels };
}
