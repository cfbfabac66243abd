import { describe, expect, it } from '@jest/globals';
import { evaluateExpr, ExpressionError } from '../../../../dsl/cel/evaluate';
import type { EvaluationScope } from '../../../../dsl/plan';

const scope: EvaluationScope = {
  input: { items: Array.from({ length: 200 }, (_, i) => ({ price: i })) },
  vars: {},
  steps: {},
  instance: { id: 'i-1', templateKey: 't', version: 1, businessKey: null, startedAt: '2026-01-01T00:00:00Z' },
  now: '2026-01-01T00:00:00Z',
};
const range = `[${Array.from({ length: 60 }, (_, i) => i).join(',')}]`;

function failure(source: string, budget?: number): ExpressionError {
  try {
    evaluateExpr({ $expr: source }, scope, budget);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`'${source}' evaluated`);
}

describe('the evaluation budget', () => {
  it('stops nested loops that would run for minutes', () => {
    const error = failure(
      `${range}.map(a, ${range}.map(b, ${range}.map(c, ${range}.filter(d, a + b + c + d == 7).size())))`,
    );
    expect(error.code).toBe('expression.over-budget');
    expect(error.message).toContain('budget of 1000000 cost units');
  });

  it('stops a string doubled again and again, and lists sharing lists', () => {
    let doubled = '"xxxxxxxxxxxxxxxx"';
    let lists = '[1, 1, 1, 1, 1, 1, 1, 1, 1, 1]';
    for (let i = 0; i < 26; i++) doubled = `cel.bind(s, ${doubled}, s + s)`;
    for (let i = 0; i < 12; i++) lists = `cel.bind(l, ${lists}, [l, l, l, l, l, l, l, l, l, l])`;
    expect(failure(`size(${doubled})`).code).toBe('expression.over-budget');
    expect(failure(lists).code).toBe('expression.over-budget');
  });

  it('fails an over-budget evaluation even when CEL would have absorbed the error', () => {
    expect(failure(`${range}.map(a, ${range}.map(b, ${range}.map(c, a))).size() > 0 || true`, 1000).code).toBe(
      'expression.over-budget',
    );
  });

  it('leaves ordinary expressions alone, and counts what they build', () => {
    expect(evaluateExpr({ $expr: 'input.items.filter(i, i.price > 100).size()' }, scope)).toBe(99);
    expect(evaluateExpr({ $expr: 'input.items.map(i, i.price).size()' }, scope, 2000)).toBe(200);
    expect(failure('input.items.map(i, i.price).size()', 300).code).toBe('expression.over-budget');
  });

  it('tells an ordinary failure from an over-budget one', () => {
    expect(failure('input.missing.field').code).toBe('expression.failed');
  });
});
