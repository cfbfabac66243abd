import { describe, expect, it } from '@jest/globals';
import { Type } from 'typebox';
import { TEST_CATALOG, expectOne, located, template } from '../templates';

const review = (field: string) => `
  - id: review
    task:
      title: Review
      candidates: { role: sales-rep }
      outcomes: [done]
      form:
        ${field}
`;

const optionalReads = (source: string, options = {}) =>
  located(source, options).filter((d) => d.code.startsWith('expr.optional-'));

describe('optional-fields', () => {
  it('reports reading a form field the task does not require, at the read, with a guarded read as the fix', () => {
    const source = template(`${review('reason: { type: string }')}
  - id: keep
    set: { reason: =steps.review.form.reason }
`);
    const d = expectOne(source, 'expr.optional-form-field', 'steps[1].set.reason', 'steps.review.form.reason');
    expect(d.severity).toBe('error');
    expect(d.message).toContain("the form of task 'review' does not require 'reason'");
    expect(d.message).toContain('required: true');
    expect(d.fixes?.map((fix) => fix.text)).toEqual([
      '(has(steps.review.form.reason) ? steps.review.form.reason : "")',
    ]);
  });

  it('offers a fix that type-checks for a number field', () => {
    const read = (n: string) =>
      template(`${review('n: { type: integer }')}
  - id: keep
    set: { n: '=${n} + 1.0' }
`);
    const [d] = optionalReads(read('steps.review.form.n'));
    const fixed = d!.fixes![0]!.text;
    expect(fixed).toBe('(has(steps.review.form.n) ? steps.review.form.n : 0.0)');
    expect(located(read(fixed)).filter((e) => e.severity === 'error')).toEqual([]);
  });

  it('takes a field as required with required: true or in the form’s required list', () => {
    expect(
      optionalReads(
        template(`${review('reason: { type: string, required: true }')}
  - id: keep
    set: { reason: =steps.review.form.reason }
`),
      ),
    ).toEqual([]);
    const full = template(`
  - id: review
    task:
      title: Review
      candidates: { role: sales-rep }
      outcomes: [done]
      form: { type: object, properties: { count: { type: integer } }, required: [count] }
  - id: keep
    set: { count: =steps.review.form.count + 1 }
`);
    expect(optionalReads(full)).toEqual([]);
  });

  it.each([
    ['a ternary on has()', '=has(steps.review.form.n) ? steps.review.form.n : 0.0'],
    ['&& after has()', '=has(steps.review.form.n) && steps.review.form.n > 2'],
    ['|| after !has()', '=!has(steps.review.form.n) || steps.review.form.n > 2'],
    ['the else branch of !has()', '=!has(steps.review.form.n) ? 0.0 : steps.review.form.n'],
  ])('accepts a read guarded by %s', (_, expression) => {
    const source = template(`${review('n: { type: number }')}
  - id: keep
    set: { n: '${expression}' }
`);
    // The guarded forms the reference recommends must type-check too.
    expect(located(source).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('accepts "in" as a guard on a map: the form of a task that declares none', () => {
    const source = template(`
  - id: review
    task: { title: Review, candidates: { role: sales-rep }, outcomes: [done] }
  - id: keep
    set: { note: '="note" in steps.review.form ? steps.review.form.note : ""' }
`);
    expect(located(source).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('reports a read on the branch where has() is false', () => {
    const source = template(`${review('n: { type: number }')}
  - id: keep
    set: { n: '=has(steps.review.form.n) ? 0 : steps.review.form.n' }
`);
    expectOne(source, 'expr.optional-form-field', 'steps[1].set.n', 'steps.review.form.n', { occurrence: 2 });
  });

  it('counts the if: of the step that reads and the when: of its switch case as guards, but not the if: itself', () => {
    const guarded = template(`${review('n: { type: number }')}
  - id: keep
    if: =has(steps.review.form.n)
    set: { n: =steps.review.form.n }
  - id: route
    switch:
      - when: =has(steps.review.form.n) && steps.review.form.n > 1
        do:
          - id: big
            set: { big: =steps.review.form.n }
`);
    expect(optionalReads(guarded)).toEqual([]);
    const unguardedIf = template(`${review('n: { type: number }')}
  - id: keep
    if: =steps.review.form.n > 1
    set: { n: 1 }
`);
    expectOne(unguardedIf, 'expr.optional-form-field', 'steps[1].if', 'steps.review.form.n');
  });

  it('reports any form field of a task without a form: a completion may send none', () => {
    const source = template(`
  - id: review
    task: { title: Review, candidates: { role: sales-rep }, outcomes: [done] }
  - id: keep
    set: { note: =steps.review.form.note }
`);
    const d = expectOne(source, 'expr.optional-form-field', 'steps[1].set.note', 'steps.review.form.note');
    // Its type is unknown, so no fallback literal is offered, only the advice.
    expect(d.fixes ?? []).toEqual([]);
    expect(d.message).toContain('guard it with has(steps.review.form.note)');
  });

  it('warns of a result field the activity may leave out, and not of required or undeclared results', () => {
    const catalog = {
      ...TEST_CATALOG,
      'crm.findRep': {
        description: 'Find a rep.',
        params: Type.Object({}, { additionalProperties: false }),
        result: Type.Object({ id: Type.String(), nickname: Type.Optional(Type.String()) }),
      },
    };
    const source = template(`
  - id: find
    call: crm.findRep
    with: {}
  - id: keep
    set: { who: =steps.find.id, nick: =steps.find.nickname, nick2: '=has(steps.find.nickname) ? steps.find.nickname : steps.find.id' }
  - id: convert
    call: crm.closeLead
    with: { leadId: =input.leadId }
`);
    const found = optionalReads(source, { catalog });
    expect(found.map((d) => [d.code, d.severity, d.path])).toEqual([
      ['expr.optional-result-field', 'warning', 'steps[1].set.nick'],
    ]);
    expect(found[0]!.message).toContain("the result of step 'find' may lack 'nickname'");
  });

  it('leaves a macro variable named like a step alone', () => {
    const source = template(`${review('n: { type: number }')}
  - id: keep
    set: { any: '=[{"review": {"form": {"n": 1}}}].exists(steps, steps.review.form.n > 0)' }
`);
    expect(optionalReads(source)).toEqual([]);
  });
});
