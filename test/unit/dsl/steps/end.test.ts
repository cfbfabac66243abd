import { describe, expect, it } from '@jest/globals';
import { firstStep, template } from '../templates';

describe('end step', () => {
  it('compiles with a result, or with none (`end:` or `end: {}`)', () => {
    expect(
      firstStep(
        template(`
  - { id: done, end: { result: { lead: =input.leadId } } }
`),
      ),
    ).toEqual({ id: 'done', kind: 'end', path: 'steps[0]', result: { lead: { $expr: 'input.leadId' } } });
    expect(
      firstStep(
        template(`
  - id: done
    end:
`),
      ),
    ).toEqual({ id: 'done', kind: 'end', path: 'steps[0]' });
  });
});
