import { describe, expect, it } from '@jest/globals';
import { firstStep, located, template } from '../templates';

describe('wait step', () => {
  it('compiles a duration, written short or long', () => {
    expect(
      firstStep(
        template(`
  - { id: pause, wait: P1DT2H }
`),
      ),
    ).toEqual({ id: 'pause', kind: 'wait', path: 'steps[0]', durationMs: 93_600_000 });
    expect(
      firstStep(
        template(`
  - { id: pause, wait: { duration: PT90M } }
`),
      ),
    ).toMatchObject({ durationMs: 5_400_000 });
  });

  it('compiles until, and requires exactly one of the two', () => {
    expect(
      firstStep(
        template(`
  - { id: pause, wait: { until: '=input.leadId + "T00:00:00Z"' } }
`),
      ),
    ).toEqual({ id: 'pause', kind: 'wait', path: 'steps[0]', until: { $expr: 'input.leadId + "T00:00:00Z"' } });
    expect(
      located(
        template(`
  - { id: pause, wait: { duration: PT1H, until: =now } }
`),
      ).map((d) => [d.code, d.path]),
    ).toEqual([['schema.invalid', 'steps[0].wait']]);
  });
});
