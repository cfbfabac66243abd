import { describe, expect, it } from '@jest/globals';
import { compile, expectOne, template } from '../templates';

describe('unreachable-steps', () => {
  it('warns about each step after an end in the same sequence, and still compiles', () => {
    const source = template(`
  - id: stop
    end: {}
  - id: never
    wait: PT1H
`);
    const d = expectOne(source, 'step.unreachable', 'steps[1]', 'id: never');
    expect(d.severity).toBe('warning');
    expect(compile(source).plan).toBeDefined();
  });

  it('knows that a switch whose every case fails ends the sequence, but a conditional end does not', () => {
    const source = template(`
  - id: maybe
    if: =input.amount > 5.0
    end: {}
  - id: route
    switch:
      - when: =input.amount > 10.0
        do: [{ id: tooBig, fail: { code: amount.too-big, message: too big } }]
      - otherwise: [{ id: tooSmall, fail: { code: amount.too-small, message: too small } }]
  - id: never
    wait: PT1H
`);
    expectOne(source, 'step.unreachable', 'steps[2]', 'id: never');
  });
});
