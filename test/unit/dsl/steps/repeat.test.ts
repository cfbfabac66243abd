import { describe, expect, it } from '@jest/globals';
import { firstStep, template } from '../templates';

describe('repeat step', () => {
  it('compiles the body, until (which sees the body) and maxIterations', () => {
    const step = firstStep(
      template(`
  - id: revise
    repeat:
      steps:
        - { id: change, task: { title: Change it, assignee: u1, outcomes: [done, again] } }
      until: =steps.change.outcome == "done"
      maxIterations: 5
  - { id: done, end: { result: =steps.change.completedBy } }
`),
    );
    expect(step).toEqual({
      id: 'revise',
      kind: 'repeat',
      path: 'steps[0]',
      steps: [expect.objectContaining({ id: 'change', kind: 'task', path: 'steps[0].repeat.steps[0]' })],
      until: { $expr: 'steps.change.outcome == "done"' },
      maxIterations: 5,
    });
  });

  it('defaults maxIterations to 100', () => {
    const step = firstStep(
      template(`
  - id: loop
    repeat: { steps: [{ id: tick, wait: PT1H }], until: =true }
`),
    );
    expect(step).toMatchObject({ maxIterations: 100 });
  });
});
