import { describe, expect, it } from '@jest/globals';
import { expectOne, template } from '../templates';

describe('durations', () => {
  it('reports a malformed duration', () => {
    const d = expectOne(template(`
  - id: pause
    wait: 4 hours
`), 'duration.invalid', 'steps[0].wait', '4 hours');
    expect(d.message).toContain('PT30M');
  });

  it('reports a negative duration', () => {
    expectOne(template(`
  - id: pause
    wait: { duration: -PT4H }
`), 'duration.negative', 'steps[0].wait.duration', '-PT4H');
  });

  it('reports months, which have no fixed length', () => {
    const d = expectOne(template(`
  - id: review
    task: { title: t, assignee: u, outcomes: [ok], due: P1M }
`), 'duration.invalid', 'steps[0].task.due', 'P1M');
    expect(d.message).toContain('no fixed length');
  });

  it('reports a zero duration', () => {
    expectOne(template(`
  - id: notify
    call: audit.record
    with: { actor: a, action: b, subject: c }
    timeout: PT0S
`), 'duration.zero', 'steps[0].timeout', 'PT0S');
  });
});
