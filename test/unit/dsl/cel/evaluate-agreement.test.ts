import { describe, expect, it } from '@jest/globals';
import { ExpressionChecker } from '../../../../dsl/cel/check';
import { evaluateExpr } from '../../../../dsl/cel/evaluate';
import { EMPTY_SCOPE, extendScope } from '../../../../dsl/cel/scope-types';
import type { EvaluationScope, Json } from '../../../../dsl/plan';

// What passes publish must also run: each expression is type-checked against the schemas and
// then evaluated by the workflow's evaluator over plain JSON that fits them.
const inputSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    price: { type: 'number' },
    quantity: { type: 'integer' },
    lines: {
      type: 'array',
      items: { type: 'object', properties: { sku: { type: 'string' }, qty: { type: 'integer' } } },
    },
  },
};
const taskResult = {
  type: 'object',
  properties: {
    outcome: { type: 'string', enum: ['approved', 'rejected'] },
    form: { type: 'object', properties: { discount: { type: 'number' } } },
  },
};
const checkScope = extendScope(EMPTY_SCOPE, {
  steps: new Map([['review', taskResult]]),
  vars: new Set(['attempts']),
  locals: new Map([['item', { type: 'string' }]]),
});
const runScope: EvaluationScope = {
  input: {
    name: 'Ada',
    price: 12.5,
    quantity: 3,
    lines: [
      { sku: 'A-1', qty: 1 },
      { sku: 'B-2', qty: 4 },
    ],
  },
  vars: { attempts: 2 },
  steps: { review: { outcome: 'approved', form: { discount: 10 } } },
  instance: { id: 'i-1', templateKey: 'quote', version: 1, businessKey: null, startedAt: '2026-01-01T00:00:00.000Z' },
  now: '2026-01-02T00:00:00.000Z',
  item: 'x',
};
const checker = new ExpressionChecker(inputSchema);

describe('publish-time check and run-time evaluation agree', () => {
  it.each<[string, Json]>([
    ['input.price * 2', 25],
    ['input.quantity + 1', 4],
    ['input.quantity == 3', true],
    ['input.price != 12', true],
    ['"Hello " + input.name', 'Hello Ada'],
    ['input.lines.exists(l, l.qty > 2)', true],
    ['input.lines.all(l, l.sku.startsWith("A"))', false],
    ['input.lines.map(l, l.sku)', ['A-1', 'B-2']],
    ['size(input.lines) == 2', true],
    ['date(timestamp(now) + duration("48h"))', '2026-01-04'],
    ['steps.review.outcome == "approved" && steps.review.form.discount < 15', true],
    ['vars.attempts + 1', 3],
    ['timestamp(now) > timestamp(instance.startedAt)', true],
    ['has(input.name) ? input.name : "anonymous"', 'Ada'],
    ['item + "!"', 'x!'],
    ['string(input.price)', '12.5'],
  ])('%s', (source, value) => {
    expect(checker.check(source, checkScope).problems).toEqual([]);
    expect(evaluateExpr({ $expr: source }, runScope)).toEqual(value);
  });

  it('what fails the check for a type mismatch also fails at run time', () => {
    for (const source of ['input.name > 5', 'input.name + 1']) {
      expect(checker.check(source, checkScope).problems[0]?.code).toBe('expr.type');
      expect(() => evaluateExpr({ $expr: source }, runScope)).toThrow();
    }
  });

  it('mixed int/double equality holds both ways', () => {
    for (const [source, value] of [
      ['1.0 == 1', true],
      ['1 == 1.0', true],
      ['1.5 != 1', true],
      ['2 == 2.5', false],
    ] as const) {
      expect(checker.check(source, checkScope).problems).toEqual([]);
      expect(evaluateExpr({ $expr: source }, runScope)).toBe(value);
    }
  });
});
