import { describe, expect, it } from '@jest/globals';
import { expectOne, located, template } from '../templates';

describe('unknown-step-kind', () => {
  it('reports a step whose key is not a kind, suggesting the nearest one, and no schema noise for it', () => {
    const source = template(`
  - id: notify
    cal: mail.send
    with: { to: a@example.com }
`);
    const d = expectOne(source, 'step.unknown-kind', 'steps[0].cal', 'cal:');
    expect(d.message).toContain("did you mean 'call'?");
    expect(located(source).filter((x) => x.code === 'schema.invalid')).toEqual([]);
  });

  it('reports a step with no kind at all', () => {
    const source = template(`
  - id: nothing
`);
    expectOne(source, 'step.unknown-kind', 'steps[0]', 'id: nothing');
  });

  it('reports a step with two kinds', () => {
    const source = template(`
  - id: both
    wait: PT1H
    end: {}
`);
    expectOne(source, 'step.ambiguous-kind', 'steps[0].end', 'end:');
  });
});
