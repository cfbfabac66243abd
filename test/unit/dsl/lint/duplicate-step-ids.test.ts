import { describe, expect, it } from '@jest/globals';
import { expectOne, template } from '../templates';

describe('duplicate-step-ids', () => {
  it('reports the second step that reuses an id, anywhere in the template', () => {
    const source = template(`
  - id: notify
    call: audit.record
    with: { actor: a, action: b, subject: c }
  - id: route
    switch:
      - when: =input.amount > 10.0
        do:
          - id: notify
            call: audit.record
            with: { actor: a, action: b, subject: c }
      - otherwise: []
`);
    const d = expectOne(source, 'step.duplicate-id', 'steps[1].switch[0].do[0].id', 'notify', { occurrence: 2 });
    expect(d.line).toBe(14);
    expect(d.message).toContain('already used at line 7');
  });

  it('reports a branch id used twice in one parallel step', () => {
    const source = template(`
  - id: both
    parallel:
      branches:
        - { id: left, steps: [] }
        - { id: left, steps: [] }
`);
    expectOne(source, 'step.duplicate-id', 'steps[0].parallel.branches[1].id', 'left', { occurrence: 2 });
  });
});
