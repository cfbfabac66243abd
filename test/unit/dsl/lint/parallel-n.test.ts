import { describe, it } from '@jest/globals';
import { expectOne, template } from '../templates';

describe('parallel-n', () => {
  it('reports n larger than the number of branches', () => {
    expectOne(
      template(`
  - id: approvals
    parallel:
      mode: n
      n: 3
      branches: [{ id: a, steps: [] }, { id: b, steps: [] }]
`),
      'parallel.invalid-n',
      'steps[0].parallel.n',
      '3',
    );
  });

  it('reports n with a mode other than n', () => {
    expectOne(
      template(`
  - id: approvals
    parallel: { mode: any, n: 1, branches: [{ id: a, steps: [] }] }
`),
      'parallel.invalid-n',
      'steps[0].parallel.n',
      '1,',
    );
  });
});
