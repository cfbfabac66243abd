import { describe, expect, it } from '@jest/globals';
import { firstStep, located, template } from '../templates';

describe('fail step', () => {
  it('compiles the code and the message', () => {
    expect(
      firstStep(
        template(`
  - { id: no, fail: { code: quote.rejected, message: '="Rejected: " + input.leadId' } }
`),
      ),
    ).toEqual({
      id: 'no',
      kind: 'fail',
      path: 'steps[0]',
      code: 'quote.rejected',
      message: { $expr: '"Rejected: " + input.leadId' },
    });
  });

  it('requires a stable code', () => {
    expect(
      located(
        template(`
  - { id: no, fail: { code: Not A Code, message: m } }
`),
      ).map((d) => [d.code, d.path, d.message]),
    ).toEqual([['schema.invalid', 'steps[0].fail.code', 'must be a stable code such as quote.rejected']]);
  });
});
