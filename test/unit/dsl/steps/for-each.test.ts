import { describe, expect, it } from '@jest/globals';
import { firstStep, template } from '../templates';

describe('forEach step', () => {
  it('compiles items, the loop variable, concurrency and the body', () => {
    const step = firstStep(
      template(`
  - id: each
    forEach:
      items: =input.tags
      as: tag
      concurrent: true
      maxConcurrency: 4
      steps:
        - { id: log, call: audit.record, with: { actor: a, action: =tag, subject: =string(index) } }
`),
    );
    expect(step).toEqual({
      id: 'each',
      kind: 'forEach',
      path: 'steps[0]',
      items: { $expr: 'input.tags' },
      as: 'tag',
      concurrent: true,
      maxConcurrency: 4,
      steps: [
        expect.objectContaining({
          id: 'log',
          path: 'steps[0].forEach.steps[0]',
          with: { actor: 'a', action: { $expr: 'tag' }, subject: { $expr: 'string(index)' } },
        }),
      ],
    });
  });

  it('defaults to item, one at a time', () => {
    const step = firstStep(
      template(`
  - id: each
    forEach: { items: =input.tags, steps: [{ id: log, call: audit.record, with: { actor: a, action: =item, subject: s } }] }
`),
    );
    expect(step).toMatchObject({ as: 'item', concurrent: false });
    expect(step).not.toHaveProperty('maxConcurrency');
  });
});
