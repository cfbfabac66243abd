import { describe, expect, it } from '@jest/globals';
import { firstStep, located, template } from '../templates';

describe('switch step', () => {
  it('compiles cases in order and the otherwise case', () => {
    const step = firstStep(
      template(`
  - id: route
    switch:
      - when: =input.amount > 1000.0
        do: [{ id: big, set: { size: big } }]
      - when: =input.amount > 100.0
        do: []
      - otherwise: [{ id: small, set: { size: small } }]
`),
    );
    expect(step).toEqual({
      id: 'route',
      kind: 'switch',
      path: 'steps[0]',
      cases: [
        {
          when: { $expr: 'input.amount > 1000.0' },
          steps: [{ id: 'big', kind: 'set', path: 'steps[0].switch[0].do[0]', vars: { size: 'big' } }],
        },
        { when: { $expr: 'input.amount > 100.0' }, steps: [] },
      ],
      otherwise: [{ id: 'small', kind: 'set', path: 'steps[0].switch[2].otherwise[0]', vars: { size: 'small' } }],
    });
  });

  it('makes a variable set in every case, otherwise included, certain afterwards', () => {
    const source = template(`
  - id: route
    switch:
      - { when: =input.amount > 1000.0, do: [{ id: big, set: { size: big } }] }
      - otherwise: [{ id: small, set: { size: small } }]
  - { id: done, end: { result: =vars.size } }
`);
    expect(located(source)).toEqual([]);
  });

  it('requires otherwise to be the last case, and when to be a condition', () => {
    const found = located(
      template(`
  - id: route
    switch:
      - otherwise: []
      - { when: =input.leadId, do: [] }
`),
    );
    expect(found.map((d) => [d.code, d.path])).toEqual([
      ['schema.invalid', 'steps[0].switch[0]'],
      ['expr.type', 'steps[0].switch[1].when'],
    ]);
  });
});
