import { describe, expect, it } from '@jest/globals';
import { compile, expectOne, template } from '../templates';

describe('durations', () => {
  it('reports a malformed duration', () => {
    const d = expectOne(
      template(`
  - id: pause
    wait: 4 hours
`),
      'duration.invalid',
      'steps[0].wait',
      '4 hours',
    );
    expect(d.message).toContain('PT30M');
  });

  it('reports a negative duration', () => {
    expectOne(
      template(`
  - id: pause
    wait: { duration: -PT4H }
`),
      'duration.negative',
      'steps[0].wait.duration',
      '-PT4H',
    );
  });

  it('reports months, which have no fixed length', () => {
    const d = expectOne(
      template(`
  - id: review
    task: { title: t, assignee: u, outcomes: [ok], due: P1M }
`),
      'duration.invalid',
      'steps[0].task.due',
      'P1M',
    );
    expect(d.message).toContain('no fixed length');
  });

  it('reports a zero duration', () => {
    expectOne(
      template(`
  - id: notify
    call: audit.record
    with: { actor: a, action: b, subject: c }
    timeout: PT0S
`),
      'duration.zero',
      'steps[0].timeout',
      'PT0S',
    );
  });
  it('reports a malformed literal task timing once (the schema leaves it to this rule)', () => {
    const source = template(`
  - id: review
    task: { title: t, assignee: u, outcomes: [ok], remind: { every: 4h } }
`);
    expectOne(source, 'duration.invalid', 'steps[0].task.remind.every', '4h');
    expect(compile(source).diagnostics.map((d) => d.code)).toEqual(['duration.invalid']);
  });

  it('leaves task timing expressions alone: their value is known when the task opens', () => {
    const { diagnostics, plan } = compile(
      template(`
  - id: review
    task:
      title: t
      assignee: u
      outcomes: [ok]
      due: =input.leadId
      remind: { every: =input.leadId, times: 3 }
      escalate: [{ after: '=input.leadId + "H"', notify: [boss] }]
`),
    );
    expect(diagnostics).toEqual([]);
    expect(plan).toBeDefined();
  });
});
