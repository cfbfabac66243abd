import { describe, expect, it } from '@jest/globals';
import { ExpressionChecker, type TemplateNames } from '../../../../dsl/cel/check';
import { EMPTY_SCOPE, extendScope } from '../../../../dsl/cel/scope-types';

const input = {
  type: 'object',
  properties: {
    leadId: { type: 'string' },
    amount: { type: 'number' },
    count: { type: 'integer' },
    note: { type: ['string', 'null'] },
    meta: { type: 'object', additionalProperties: { type: 'string' } },
    lines: {
      type: 'array',
      items: { type: 'object', properties: { sku: { type: 'string' }, qty: { type: 'integer' } } },
    },
    kind: { enum: ['new', 'existing'] },
  },
};
const checker = new ExpressionChecker(input);
const scope = extendScope(EMPTY_SCOPE, {
  steps: new Map([
    ['assign', { type: 'object', properties: { rep: { type: 'object', properties: { email: { type: 'string' } } } } }],
  ]),
  vars: new Set(['seen']),
});
const names: TemplateNames = {
  steps: new Set(['assign', 'later']),
  vars: new Map([
    ['seen', 'vars:'],
    ['late', "set step 'x'"],
  ]),
};
const check = (source: string) => checker.check(source, scope, names);

describe('ExpressionChecker', () => {
  it.each([
    ['input.amount * 2', 'double'],
    ['input.count + 1', 'double'],
    ['input.amount == 100', 'bool'],
    ['"Lead " + input.leadId', 'string'],
    ['input.lines.exists(l, l.qty > 2)', 'bool'],
    ['input.lines.map(l, l.sku)', 'list<string>'],
    ['input.meta.region', 'string'],
    ['input.note == null', 'bool'],
    ['has(input.leadId) && size(input.lines) > 0', 'bool'],
    ['timestamp(now) > timestamp(instance.startedAt)', 'bool'],
    ['steps.assign.rep.email', 'string'],
    ['vars.seen + 1', 'dyn'],
    ['[1, "a"]', 'list'],
  ])('accepts %s as %s', (source, type) => {
    expect(check(source)).toMatchObject({ problems: [], type });
  });

  it.each([
    ['input.leadId > 5', 'expr.type', 'cannot compare string with int'],
    ['input.leadId + 1', 'expr.type', "operator '+' does not apply to string and int"],
    ['input.leadId == null', 'expr.type', 'use has('],
    ['input.lines[0].skus', 'expr.type', "'skus' is not a field of input.lines[0]; did you mean 'sku'?"],
    ['input.kind == "old"', 'expr.type', "'old' is not a value of input.kind"],
    ['steps.later.x', 'expr.not-yet-run', "step 'later' has not certainly run"],
    ['steps["nope"]', 'expr.unknown-reference', "there is no step 'nope'"],
    ['vars.late', 'expr.not-yet-run', "set step 'x'"],
    ['vars.never', 'expr.unknown-reference', "there is no variable 'never'"],
    ['leadId', 'expr.unknown-reference', 'Unknown variable: leadId'],
    ['input.amount >', 'expr.syntax', 'syntax error'],
    ['', 'expr.syntax', 'empty'],
  ])('rejects %s with %s', (source, code, message) => {
    const { problems } = check(source);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code });
    expect(problems[0]?.message).toContain(message);
  });

  it('does not take a macro variable named like a root for the root', () => {
    expect(check('input.lines.exists(steps, steps.qty > 1)').problems).toEqual([]);
  });

  it('gives offsets inside the expression', () => {
    expect(check('input.amount > 1.0 && steps.assign.rep.emial == ""').problems[0]).toMatchObject({
      start: 39,
      end: 44,
    });
  });

  it('checks the expected type of the value', () => {
    expect(checker.check('input.amount', scope, names, { schema: { type: 'boolean' } }).problems[0]).toMatchObject({
      code: 'expr.type',
      message: 'must give true or false, but this expression gives a number',
    });
    expect(checker.check('input.meta.region', scope, names, { schema: { type: 'string' } }).problems).toEqual([]);
  });
});
