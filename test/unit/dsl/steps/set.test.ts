import { describe, expect, it } from '@jest/globals';
import { firstStep, template } from '../templates';

describe('set step', () => {
  it('compiles variables to value templates', () => {
    expect(
      firstStep(
        template(
          `
  - id: init
    set: { attempts: =vars.attempts + 1, label: new, flags: [=input.amount > 5.0, false] }
`,
          'vars: { attempts: 0 }',
        ),
      ),
    ).toEqual({
      id: 'init',
      kind: 'set',
      path: 'steps[0]',
      vars: { attempts: { $expr: 'vars.attempts + 1' }, label: 'new', flags: [{ $expr: 'input.amount > 5.0' }, false] },
    });
  });
});
