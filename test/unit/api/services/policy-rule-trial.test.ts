import fs from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { ACTIVITY_CATALOG } from '../../../../activities';
import { ProblemError } from '../../../../api/problem-error';
import { decideRuleStep, publishedRuleStep, ruleStepOf } from '../../../../api/services/policy-rule-trial';
import { compileTemplate } from '../../../../dsl/compile';

const source = fs.readFileSync('templates/quote-approval.yaml', 'utf8');
const plan = compileTemplate(source, { catalog: ACTIVITY_CATALOG }).plan!;

describe('policy rule trials', () => {
  it('finds a rule step nested in a repeat, with its literal policy', () => {
    const step = ruleStepOf(plan, 'levels');
    expect(step.activity).toBe('crm.approvalLevels');
    expect(step.policy).toMatchObject({ levels: [{ name: 'sales manager' }, { name: 'finance and director' }] });
  });

  it('decides a request under the step policy', async () => {
    const step = ruleStepOf(plan, 'levels');
    const result = (await decideRuleStep(step, { discountPercent: 12, totalCents: 7_360_000 })) as {
      levels: { name: string; triggeredBy: string[] }[];
    };
    expect(result.levels.map((l) => [l.name, l.triggeredBy])).toEqual([['sales manager', ['discount', 'total']]]);
  });

  it('refuses a step that calls no policy rule, and a request the rule refuses, as 422 problems', async () => {
    expect(() => ruleStepOf(plan, 'price')).toThrow(ProblemError);
    expect(() => ruleStepOf(plan, 'nowhere')).toThrow(/not a call step/);
    expect(publishedRuleStep(plan, 'price')).toBeNull();
    await expect(
      decideRuleStep(ruleStepOf(plan, 'levels'), { discountPercent: -1, totalCents: 1 }),
    ).rejects.toMatchObject({
      status: 422,
      type: 'rule-request-invalid',
      detail: expect.stringContaining('discountPercent'),
    });
  });
});
