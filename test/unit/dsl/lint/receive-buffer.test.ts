import { describe, expect, it } from '@jest/globals';
import { compile, expectOne, firstStep, template } from '../templates';

describe('receive-buffer', () => {
  it('compiles buffer: true and buffer: { after } into the plan', () => {
    expect(
      firstStep(
        template(`
  - id: r
    receive: { event: stock.received, buffer: true }
`),
      ),
    ).toMatchObject({ kind: 'receive', buffer: { after: null } });
    const result = compile(
      template(`
  - id: opened
    set: { x: 1 }
  - id: r
    receive: { event: stock.received, buffer: { after: opened } }
`),
    );
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.plan?.steps[1]).toMatchObject({ buffer: { after: 'opened' } });
  });

  it('leaves buffer out of the plan when the receive does not say it', () => {
    expect(
      firstStep(
        template(`
  - id: r
    receive: { event: stock.received }
`),
      ),
    ).not.toHaveProperty('buffer');
  });

  it('reports buffer.after naming no step of the template', () => {
    expectOne(
      template(`
  - id: r
    receive: { event: stock.received, buffer: { after: shiped } }
`),
      'receive.unknown-buffer-step',
      'steps[0].receive.buffer.after',
      'shiped',
    );
  });

  it('reports a receive buffering from its own finish', () => {
    expectOne(
      template(`
  - id: r
    receive: { event: stock.received, buffer: { after: r } }
`),
      'receive.unknown-buffer-step',
      'steps[0].receive.buffer.after',
      'r } }',
    );
  });
});
