import { describe, expect, it } from '@jest/globals';
import { expectOne, template } from '../templates';

describe('switch-default', () => {
  it('warns about a switch without otherwise, at its switch key', () => {
    const source = template(`
  - id: route
    switch:
      - when: =input.amount > 10.0
        do: []
`);
    const d = expectOne(source, 'switch.no-default', 'steps[0].switch', '- when');
    expect(d.severity).toBe('warning');
  });

  it('accepts an explicit empty otherwise', () => {
    const source = template(`
  - id: route
    switch:
      - { when: =input.amount > 10.0, do: [] }
      - otherwise: []
`);
    expect(() => expectOne(source, 'switch.no-default', 'steps[0].switch', '- {')).toThrow();
  });
});
