import { describe, expect, it } from '@jest/globals';
import { compile, expectOne, firstStep, template } from '../templates';

const LOG = '{ id: log, call: audit.record, with: { actor: a, action: =tag, subject: s } }';

describe('completion conditions', () => {
  it('refuses completion on a sequential forEach, at the condition', () => {
    expectOne(
      template(`
  - id: each
    forEach: { items: =input.tags, as: tag, completion: =completed == 1, steps: [${LOG}] }
`),
      'forEach.completion-sequential',
      'steps[0].forEach.completion',
      '=completed == 1',
    );
  });

  it('compiles completion on a concurrent forEach, seeing the item, index, the vars its steps set, completed and total', () => {
    const step = firstStep(
      template(`
  - id: each
    forEach:
      items: =input.tags
      as: tag
      concurrent: true
      completion: =vars.last == "stop" && index >= 0 || completed == total
      steps: [${LOG}, { id: mark, set: { last: =tag } }]
`),
    );
    expect(step).toMatchObject({
      kind: 'forEach',
      completion: { $expr: 'vars.last == "stop" && index >= 0 || completed == total' },
    });
  });

  it('compiles completion on a parallel', () => {
    const step = firstStep(
      template(`
  - id: both
    parallel:
      completion: =completed >= 1
      branches: [{ id: a, steps: [] }, { id: b, steps: [] }]
`),
    );
    expect(step).toMatchObject({ kind: 'parallel', mode: 'all', completion: { $expr: 'completed >= 1' } });
  });

  it('type-checks the condition as a bool, like until', () => {
    expectOne(
      template(`
  - id: both
    parallel: { completion: =completed, branches: [{ id: a, steps: [] }] }
`),
      'expr.type',
      'steps[0].parallel.completion',
      'completed',
    );
  });

  it('leaves nothing in the branches certain once the parallel may end early', () => {
    const source = template(`
  - id: both
    parallel:
      completion: =completed >= 1
      branches:
        - { id: a, steps: [{ id: one, set: { x: 1 } }] }
        - { id: b, steps: [{ id: two, set: { y: 2 } }] }
  - id: after
    set: { z: =vars.x }
`);
    expect(compile(source).diagnostics.map((d) => d.code)).toContain('expr.not-yet-run');
  });
});
