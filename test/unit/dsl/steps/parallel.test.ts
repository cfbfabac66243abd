import { describe, expect, it } from '@jest/globals';
import { firstStep, located, template } from '../templates';

describe('parallel step', () => {
  it('compiles mode n, n and the branches', () => {
    const step = firstStep(
      template(`
  - id: approvals
    parallel:
      mode: n
      n: 2
      branches:
        - { id: finance, steps: [{ id: financeOk, task: { title: Finance, candidates: { role: finance }, outcomes: [ok] } }] }
        - { id: legal, steps: [] }
        - { id: sales, steps: [] }
`),
    );
    expect(step).toMatchObject({
      kind: 'parallel',
      mode: 'n',
      n: 2,
      branches: [
        { id: 'finance', steps: [{ id: 'financeOk', kind: 'task', path: 'steps[0].parallel.branches[0].steps[0]' }] },
        { id: 'legal', steps: [] },
        { id: 'sales', steps: [] },
      ],
    });
  });

  it('defaults to all, after which every branch step can be read; not after any', () => {
    const all = template(`
  - id: both
    parallel:
      branches:
        - { id: a, steps: [{ id: first, set: { x: 1 } }] }
  - { id: done, end: { result: =steps.first } }
`);
    expect(firstStep(all)).toMatchObject({ mode: 'all' });
    const any = all.replace('parallel:', 'parallel:\n      mode: any');
    expect(located(any).map((d) => d.code)).toEqual(['expr.not-yet-run']);
  });
});
