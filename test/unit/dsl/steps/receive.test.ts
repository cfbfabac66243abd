import { describe, expect, it } from '@jest/globals';
import { firstStep, template } from '../templates';

describe('receive step', () => {
  it('compiles event, match (over payload), timeout and onTimeout; the result has payload and timedOut', () => {
    const source = template(`
  - id: stock
    receive:
      event: stock.received
      match: =payload.leadId == input.leadId
      timeout: P2D
      onTimeout: [{ id: giveUp, fail: { code: stock.missing, message: No stock } }]
  - { id: done, end: { result: '=steps.stock.timedOut ? "late" : string(steps.stock.payload.qty)' } }
`);
    expect(firstStep(source)).toEqual({
      id: 'stock',
      kind: 'receive',
      path: 'steps[0]',
      event: 'stock.received',
      match: { $expr: 'payload.leadId == input.leadId' },
      timeoutMs: 172_800_000,
      onTimeout: [
        {
          id: 'giveUp',
          kind: 'fail',
          path: 'steps[0].receive.onTimeout[0]',
          code: 'stock.missing',
          message: 'No stock',
        },
      ],
    });
  });
});
