import { describe, expect, it } from '@jest/globals';
import { firstStep, template } from '../templates';

describe('process step', () => {
  it('compiles the child template, its input and wait (default true)', () => {
    expect(
      firstStep(
        template(`
  - id: child
    process: { template: quote-approval, input: { leadId: =input.leadId, source: crm } }
`),
      ),
    ).toEqual({
      id: 'child',
      kind: 'process',
      path: 'steps[0]',
      template: 'quote-approval',
      input: { leadId: { $expr: 'input.leadId' }, source: 'crm' },
      wait: true,
    });
    expect(
      firstStep(
        template(`
  - { id: child, process: { template: quote-approval, wait: false } }
`),
      ),
    ).toMatchObject({ input: {}, wait: false });
  });
});
