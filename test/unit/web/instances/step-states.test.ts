import { describe, expect, it } from '@jest/globals';
import { stepStatesOf } from '../../../../web/src/staff/instances/step-states';
import type { TimelineItem } from '../../../../web/src/staff/instances/instance-types';
import { planOf } from '../diagram/builtin-plans';

const plan = planOf(`key: states-test
name: States test
input: { type: object }
steps:
  - id: loop
    repeat:
      maxIterations: 3
      until: =true
      steps:
        - id: notify
          call: mail.send
          with: { to: a@example.test, subject: s, text: t }
        - id: review
          task:
            title: Review
            candidates: { role: sales-manager }
            outcomes: [ok]
  - id: skipped
    if: =false
    wait: PT1M
`);

let seq = 0;
const entry = (type: string, stepId: string, path: string): TimelineItem => ({
  seq: ++seq,
  at: '2026-11-30T10:00:00Z',
  type,
  stepId,
  path,
});

describe('stepStatesOf: the diagram colours of an instance from its timeline', () => {
  it('marks ended steps by their last event, a running task waiting and a running container current', () => {
    const states = stepStatesOf(
      plan,
      [
        entry('step.started', 'loop', 'steps[0]'),
        entry('step.started', 'notify', 'steps[0].repeat.steps[0]'),
        entry('step.completed', 'notify', 'steps[0].repeat.steps[0]'),
        entry('step.started', 'review', 'steps[0].repeat.steps[1]'),
        entry('task.opened', 'review', 'steps[0].repeat.steps[1]'),
        entry('step.skipped', 'skipped', 'steps[1]'),
      ],
      [],
    );
    expect(states).toEqual({
      'steps[0]': 'current',
      'steps[0].repeat.steps[0]': 'done',
      'steps[0].repeat.steps[1]': 'waiting',
      'steps[1]': 'skipped',
    });
  });

  it('marks a running call of an activity with an incident failed; a later iteration wins', () => {
    const states = stepStatesOf(
      plan,
      [
        entry('step.started', 'notify', 'steps[0].repeat.steps[0]'),
        entry('step.failed', 'notify', 'steps[0].repeat.steps[0]'),
        entry('step.started', 'notify', 'steps[0].repeat.steps[0]'),
      ],
      [
        {
          activityId: '2',
          activityType: 'mail.send',
          attempt: 3,
          message: 'ECONNREFUSED',
          firstFailedAt: '2026-11-30T10:00:00Z',
          lastFailedAt: '2026-11-30T10:00:05Z',
        },
      ],
    );
    expect(states['steps[0].repeat.steps[0]']).toBe('failed');
    expect(stepStatesOf(plan, [entry('step.started', 'notify', 'steps[0].repeat.steps[0]')], [])).toEqual({
      'steps[0].repeat.steps[0]': 'current',
    });
  });
});
